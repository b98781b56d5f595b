//! The write policy. Every check answers `Ok(())`, 401 for a caller who has not signed in,
//! or 403 for a signed-in caller without the right. Handlers validate the body first, then
//! ask here, so a malformed request is told what is wrong before who may send it.

use agora_schemas::MembershipRole;

use super::Caller;
use crate::error::{Error, Result};

/// Turns a decision into the answer: 401 when anonymous, 403 when not allowed.
pub fn require(caller: &Caller, allowed: bool, action: &str) -> Result<()> {
    if !caller.signed_in {
        Err(Error::Unauthorized(format!("sign in to {action}")))
    } else if allowed {
        Ok(())
    } else {
        Err(Error::Forbidden(format!("you may not {action}")))
    }
}

/// Anyone signed in as a person (tokens are personal).
pub fn require_user(caller: &Caller) -> Result<i64> {
    match caller.user_id {
        Some(id) if caller.signed_in => Ok(id),
        _ if !caller.signed_in => Err(Error::Unauthorized(
            "sign in, or send a personal API token".into(),
        )),
        _ => Err(Error::Forbidden("this route is for people only".into())),
    }
}

/// Registering an organisation: administrators.
pub fn can_create_organisation(caller: &Caller) -> bool {
    caller.admin
}

/// Changing an organisation's details: administrators and its stewards.
pub fn can_manage_organisation(caller: &Caller, organisation: &str) -> bool {
    caller.admin || caller.stewards(organisation)
}

/// Starting a workstream: administrators.
pub fn can_create_workstream(caller: &Caller) -> bool {
    caller.admin
}

/// Changing a workstream's details: administrators and its leads.
pub fn can_manage_workstream(caller: &Caller, workstream: &str) -> bool {
    caller.admin || caller.leads(workstream)
}

/// Adding, changing or removing a membership: administrators and the workstream's leads;
/// a steward may also enrol (or withdraw) its own organisation and people as members.
pub fn can_manage_membership(
    caller: &Caller,
    workstream: &str,
    member_organisation: Option<&str>,
    role: MembershipRole,
) -> bool {
    caller.admin
        || caller.leads(workstream)
        || (role == MembershipRole::Member
            && member_organisation.is_some_and(|o| caller.stewards(o)))
}

/// Writing a project: its people. When it exists, the caller must act for one of its
/// current organisations; the saved project must keep one of the caller's organisations,
/// so nobody creates items in another office's name or takes one over.
pub fn can_write_project<S: AsRef<str>, T: AsRef<str>>(
    caller: &Caller,
    current_organisations: Option<&[S]>,
    new_organisations: &[T],
) -> bool {
    caller.admin
        || (current_organisations
            .is_none_or(|owners| owners.iter().any(|o| caller.acts_for(o.as_ref())))
            && new_organisations
                .iter()
                .any(|o| caller.acts_for(o.as_ref())))
}

/// Writing a model card or one of its versions: the owning organisation's people.
pub fn can_write_model(caller: &Caller, organisation: &str) -> bool {
    caller.admin || caller.acts_for(organisation)
}

/// Defining or changing a benchmark: administrators, stewards of an organisation taking
/// part, and leads of a workstream it serves. When it exists, the caller must hold that
/// right on it as it is now (`current`: its organisations and workstreams), and keep it on
/// the new version, so nobody takes one over.
pub fn can_manage_benchmark<S: AsRef<str>, T: AsRef<str>>(
    caller: &Caller,
    current: Option<(&[S], &[S])>,
    new_organisations: &[T],
    new_workstreams: &[T],
) -> bool {
    fn holds<X: AsRef<str>>(caller: &Caller, orgs: &[X], wss: &[X]) -> bool {
        orgs.iter().any(|o| caller.stewards(o.as_ref()))
            || wss.iter().any(|w| caller.leads(w.as_ref()))
    }
    caller.admin
        || (current.is_none_or(|(orgs, wss)| holds(caller, orgs, wss))
            && holds(caller, new_organisations, new_workstreams))
}

/// Starting or cancelling a run of a benchmark (which makes organisations' agents run jobs
/// on their clusters): the people who may manage the benchmark. A run's creator may also
/// cancel it.
pub fn can_run_benchmark<S: AsRef<str>>(
    caller: &Caller,
    organisations: &[S],
    workstreams: &[S],
) -> bool {
    can_manage_benchmark::<S, S>(caller, None, organisations, workstreams)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steward(org: &str) -> Caller {
        Caller {
            steward_of: vec![org.to_string()],
            ..Caller::member("s@x.org", &[org])
        }
    }

    #[test]
    fn anonymous_callers_are_told_to_sign_in_and_others_are_refused() {
        let anon = Caller::anonymous();
        let err = require(&anon, can_write_model(&anon, "insee"), "write").unwrap_err();
        assert_eq!(err.status_code(), 401);
        let inegi = Caller::member("b@inegi.org.mx", &["inegi"]);
        let err = require(&inegi, can_write_model(&inegi, "insee"), "write").unwrap_err();
        assert_eq!(err.status_code(), 403);
        assert!(require(&inegi, can_write_model(&inegi, "inegi"), "write").is_ok());
    }

    #[test]
    fn projects_are_written_by_their_organisations() {
        let insee = Caller::member("a@insee.fr", &["insee"]);
        assert!(can_write_project(&insee, None::<&[&str]>, &["insee"]));
        assert!(can_write_project(
            &insee,
            None::<&[&str]>,
            &["inegi", "insee"]
        ));
        assert!(!can_write_project(&insee, None::<&[&str]>, &["inegi"]));
        assert!(!can_write_project(&insee, Some(&["inegi"][..]), &["insee"]));
        assert!(can_write_project(
            &insee,
            Some(&["inegi", "insee"][..]),
            &["insee"]
        ));
        assert!(can_write_project(
            &Caller::system(),
            Some(&["x"][..]),
            &["y"]
        ));
    }

    #[test]
    fn stewards_manage_their_organisation_and_enrol_it() {
        let s = steward("inegi");
        assert!(can_manage_organisation(&s, "inegi"));
        assert!(!can_manage_organisation(&s, "insee"));
        assert!(!can_manage_organisation(
            &Caller::member("b@inegi.org.mx", &["inegi"]),
            "inegi"
        ));
        assert!(can_manage_membership(
            &s,
            "ws",
            Some("inegi"),
            MembershipRole::Member
        ));
        assert!(!can_manage_membership(
            &s,
            "ws",
            Some("inegi"),
            MembershipRole::Lead
        ));
        assert!(!can_manage_membership(
            &s,
            "ws",
            Some("insee"),
            MembershipRole::Member
        ));
        assert!(!can_create_organisation(&s));
    }

    #[test]
    fn leads_manage_their_workstream() {
        let lead = Caller {
            lead_of: vec!["qf4sa".into()],
            ..Caller::member("l@scb.se", &["scb"])
        };
        assert!(can_manage_workstream(&lead, "qf4sa"));
        assert!(!can_manage_workstream(&lead, "ethics"));
        assert!(can_manage_membership(
            &lead,
            "qf4sa",
            None,
            MembershipRole::Lead
        ));
        assert!(!can_create_workstream(&lead));
        assert!(can_create_workstream(&Caller::system()));
    }

    #[test]
    fn benchmarks_are_managed_by_stewards_of_participants_and_leads() {
        let s = steward("inegi");
        let none: [&str; 0] = [];
        assert!(can_manage_benchmark::<&str, &str>(
            &s,
            None,
            &["insee", "inegi"],
            &none
        ));
        assert!(!can_manage_benchmark::<&str, &str>(
            &s,
            None,
            &["insee"],
            &none
        ));
        let member = Caller::member("b@inegi.org.mx", &["inegi"]);
        assert!(!can_run_benchmark(&member, &["inegi"], &none));
        let lead = Caller {
            lead_of: vec!["ws4".into()],
            ..Caller::member("l@scb.se", &["scb"])
        };
        assert!(can_run_benchmark(&lead, &["insee"], &["ws4"]));
        let current: (&[&str], &[&str]) = (&["insee"], &[]);
        assert!(!can_manage_benchmark(&s, Some(current), &["inegi"], &none));
    }

    #[test]
    fn only_people_hold_tokens() {
        assert_eq!(
            require_user(&Caller::anonymous())
                .unwrap_err()
                .status_code(),
            401
        );
        assert_eq!(
            require_user(&Caller::system()).unwrap_err().status_code(),
            403
        );
        let person = Caller {
            user_id: Some(7),
            ..Caller::member("a@insee.fr", &["insee"])
        };
        assert_eq!(require_user(&person).unwrap(), 7);
    }
}
