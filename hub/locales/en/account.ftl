# Sign-in, the account page, digest preferences and unsubscribing.

## Sign-in (auth/login.html)
signin-description = Sign in to Agora to share your office’s projects, model cards and assessments with other statistical offices.
signin-title = Sign in
signin-signed-in-as = You are signed in as
signin-your-account = Your account
signin-no-provider-before = No sign-in provider is configured on this hub. An administrator adds one under
signin-no-provider-after = in the hub's configuration.
signin-with = Sign in with { $provider }
signin-dev-heading = Development sign-in
signin-dev-note-before = This hub runs with
signin-dev-note-after = : anyone who can reach it may sign in as any person below, without a password. It is accepted on a loopback address only, for trying the hub on your own machine.
signin-dev-as = Sign in as
signin-no-organisation = no organisation
signin-dev-submit = Sign in

## Errors of the sign-in, account and digest pages (auth/error.html)
signin-error-sign-in = Sign in
signin-error-home = Home
signin-error-server = Something went wrong
signin-error-server-message = Something went wrong on the hub; it has been logged.
signin-error-unauthorized = Sign-in needed
signin-error-forbidden = Not allowed
signin-error-not-found = Not found
signin-error-failed = Sign-in failed

## Account (auth/account.html)
account-description = Your account, roles and personal API tokens.
account-title = Your account
account-sign-out = Sign out
account-email = E-mail
account-organisation = Organisation
account-no-organisation = none
account-roles = Roles
account-role-admin = Hub administrator
account-role-steward = Steward of { $organisation }
account-role-lead = Lead of { $workstream }
account-role-member = Member
account-email-language = Language of e-mails
account-digests-link = E-mail digests
account-digests-after-link = : choose the workstreams you follow by e-mail.
account-tokens-heading = Personal API tokens
account-tokens-intro-before = Scripts send a token as
account-tokens-intro-after = . A token acts with your rights; revoke it when it is no longer needed.
account-new-token = Your new token (shown once only; copy it now):
account-no-tokens = You have no tokens.
account-token-name = Name
account-token-token = Token
account-token-created = Created
account-token-last-used = Last used
account-token-expires = Expires
account-token-revoked = revoked
account-token-revoke = Revoke
account-token-new-label = New token named
account-token-new-placeholder = nightly sync script
account-token-create = Create
account-never = never

## Digest preferences (digest/preferences.html)
digest-prefs-description = Choose the workstreams you follow by e-mail.
digest-prefs-title = E-mail digests
digest-prefs-intro = A digest tells you what happened in a workstream: new and changed projects, new models, assessments, benchmark results, new members. It lists only what you may see, and nothing is sent when nothing happened.
digest-prefs-not-saved = Your choices were not saved
digest-prefs-confirm-before = To follow
digest-prefs-confirm-middle = , check its frequency below and press
digest-prefs-save = Save
digest-prefs-workstream = Workstream
digest-prefs-digest = Digest
digest-frequency-off = None
digest-frequency-daily = Daily
digest-frequency-weekly = Weekly
digest-prefs-time-zone = Time zone
digest-prefs-time-zone-help = Days end at midnight and weeks on Sunday night in this time zone, such as Europe/Paris.
digest-prefs-language = Language of e-mails
digest-prefs-pause = Pause all digests
digest-prefs-saved = Your digest choices are saved.

## Unsubscribing by a digest's link (digest/unsubscribe.html)
digest-unsubscribe-description = Stop a workstream's e-mail digest.
digest-unsubscribe-title = Unsubscribe
digest-unsubscribed-heading = You are unsubscribed
digest-unsubscribed-no-longer = You will no longer get the digest of
digest-unsubscribed-changed-mind-before = Changed your mind? Choose your digests on
digest-unsubscribed-changed-mind-link = your digest page
digest-unsubscribed-changed-mind-after = after signing in.
digest-unsubscribe-heading = Unsubscribe from { $workstream }?
digest-unsubscribe-no-longer = You will no longer get e-mail digests of
digest-unsubscribe-others-kept = . Your other digests are not changed.
digest-unsubscribe-button = Unsubscribe
