# Projects, organisations, workstreams and the edit forms.

## Shared by the pages of this area

projects-breadcrumb = Breadcrumb

## /projects

projects-list-description = Pilot studies and production systems of machine learning in official statistics, by journey stage, task and organisation.
projects-list-lead = Pilot studies and production systems, from the first idea to maintenance.
projects-filters = Filter projects
projects-filter-stage = Journey stage
projects-filter-any-stage = Any stage
projects-filter-task = Task
projects-filter-any-task = Any task
projects-filter-workstream = Workstream
projects-filter-any-workstream = Any workstream
projects-filter-organisation = Organisation
projects-filter-any-organisation = Any organisation
projects-filter-submit = Filter
projects-filter-clear = Clear filters
projects-list-none = No projects
projects-list-count = { $count ->
    [one] { $count } project
   *[other] { $count } projects
}
projects-list-range = { $count ->
    [one] { $count } project, { $first }–{ $last } shown
   *[other] { $count } projects, { $first }–{ $last } shown
}
projects-list-empty = No project you can see matches these filters.
projects-row-updated = updated { $date }

## /projects/{slug}

projects-show-description = { $title }: { $summary }
projects-withdrawn = Withdrawn by its source
projects-edit = Edit project
projects-summary-heading = Summary
projects-assessments-heading = Assessments
projects-activity-heading = Activity
projects-about = About this project
projects-timeline-heading = Journey stage: { $stage }
projects-timeline-passed = (passed)
projects-timeline-current = (current stage)
projects-timeline-ahead = (ahead)
projects-models-heading = Models
projects-models-empty = No model card is linked to this project.
projects-models-version = version { $version }
projects-facts-heading = About
projects-facts-organisations = Organisations
projects-facts-workstreams = Workstreams
projects-facts-task = Task
projects-facts-gsbpm = GSBPM
projects-facts-domain = Domain
projects-facts-languages = Languages
projects-facts-data-sources = Data sources
projects-facts-repositories = Repositories
projects-facts-none-listed = None listed
projects-facts-contacts = Contacts
projects-facts-tags = Tags

## /organisations

organisations-list-description = The statistical offices and international bodies that share their machine learning work on Agora.
organisations-list-lead = Statistical offices and international bodies taking part.
organisations-column-organisation = Organisation
organisations-column-short-name = Short name
organisations-column-kind = Kind
organisations-column-country = Country
organisations-kind-national-statistical-office = National statistical office
organisations-kind-international = International organisation
organisations-kind-other = Other body

## /organisations/{slug}

organisations-show-description = { $name }: its machine learning projects and models shared on Agora.
organisations-projects-heading = Projects
organisations-projects-empty = No project you can see.
organisations-models-heading = Models
organisations-models-empty = No model card you can see.
organisations-models-version = version { $version }
organisations-agents-heading = Agents
organisations-agents-shown-to = Shown to this organisation's stewards and the hub's administrators.
organisations-agents-none-before-command = No agent is registered. Create one with
organisations-agents-none-after-command = .
organisations-agent-last-seen = Last seen
organisations-agent-never-seen = never
organisations-agent-version = Version
organisations-agent-capabilities = Capabilities
organisations-health-revoked = Revoked
organisations-health-never-connected = Never connected
organisations-health-online = Online
organisations-health-quiet = Quiet
organisations-health-silent = Silent
organisations-sources-caption = Latest listing of each source
organisations-sources-source = Source
organisations-sources-listing = Listing
organisations-sources-items = Items
organisations-sources-refused = Refused
organisations-problems-summary = Refused and warned items of
organisations-problems-item = Item
organisations-problems-what = What
organisations-problems-field = Field
organisations-problems-reason = Reason
organisations-problems-refused = refused
organisations-problems-warned = warning
organisations-listing-complete = complete, { $moment }
organisations-listing-in-progress = in progress since { $moment }
organisations-listing-counts = { $added } added, { $updated } updated, { $unchanged } unchanged, { $withdrawn } withdrawn
organisations-workstreams-heading = Workstreams
organisations-workstreams-empty = Not a member of any workstream you can see.

## /workstreams

workstreams-list-description = The workstreams in which statistical offices take machine learning from pilot to production together.
workstreams-list-lead = Groups in which offices work together, each with a goal, leads and member organisations.
workstreams-list-empty = No workstream is visible to you yet.
workstreams-project-count = { $count ->
    [one] { $count } project
   *[other] { $count } projects
}
workstreams-status-proposed = Proposed
workstreams-status-active = Active
workstreams-status-paused = Paused
workstreams-status-closed = Closed

## /workstreams/{slug}

workstreams-show-description = { $code } { $title }: { $goal }
workstreams-kind = Workstream { $code }
workstreams-subscribe = Subscribe to its digest
workstreams-goal-heading = Goal
workstreams-projects-heading = Projects by journey stage
workstreams-projects-empty = No project you can see belongs to this workstream yet.
workstreams-activity-heading = Recent activity
workstreams-all-activity = All activity of { $code }
workstreams-who-takes-part = Who takes part
workstreams-leads-heading = Leads
workstreams-leads-empty = No lead named.
workstreams-organisations-heading = Member organisations
workstreams-organisations-empty = None yet.
workstreams-people-heading = People
workstreams-people-empty = No individual members.

## The edit forms

edit-title-error = Error: { $heading }
edit-heading = Edit “{ $title }”
edit-errors-heading = The changes were not saved
edit-field-error = { $field }: { $error }
edit-error-label = Error:
edit-required = (required)
edit-save = Save changes
edit-cancel = Cancel
edit-sync-its-source = its source
edit-field-title = Title
edit-field-summary = Summary
edit-field-task = Machine learning task
edit-field-languages = Languages
edit-field-text-language = Language of this text
edit-field-text-language-hint = The language the title, summary and text above are written in, as a code such as en, fr or es (English when empty); pages show the text as written, untranslated.
edit-field-tags = Tags
edit-field-tags-hint = Separated by commas.
edit-field-visibility = Who may see it

## /projects/{slug}/edit

edit-project-description = Edit the project “{ $title }”.
edit-project-intro = Changes are recorded in the project's activity and reach the workstreams' digests.
edit-project-sync-note = This project is kept in sync from { $source }: changes made here are replaced at its next sync unless they are also made at the source.
edit-project-title-hint = A short name people will recognise.
edit-project-summary-hint = What the project does and why. Markdown is allowed.
edit-project-stage = Journey stage
edit-project-gsbpm = GSBPM sub-process
edit-project-gsbpm-hint = Such as 5.2 (classify and code).
edit-project-domain = Statistical domain
edit-project-domain-hint = Such as labour market or prices.
edit-project-organisations = Organisations
edit-project-organisations-hint = Slugs, separated by commas; the first one leads. One must be yours.
edit-project-workstreams = Workstreams
edit-project-workstreams-hint = The workstreams the project serves.
edit-project-languages-hint = Language codes, separated by commas, such as fr, en.
edit-project-repositories = Repositories
edit-project-repositories-hint = One web address per line.
edit-project-data-sources = Data sources
edit-project-data-sources-hint = One per line (names only: data stays home).
edit-project-keep-own-organisation = must keep one of your own organisations

## /models/{organisation}/{name}/edit

edit-model-description = Edit the model card “{ $title }”.
edit-model-intro = Changes are recorded in the model's activity. Versions and evaluation results come from the registry and are not edited here.
edit-model-sync-note = This card is kept in sync from { $source }: changes made here are replaced at its next sync unless they are also made at the source.
edit-model-title-hint = A readable name, such as “NACE activity coder”.
edit-model-summary-hint = One or two sentences on what the model does.
edit-model-body = Model card
edit-model-body-hint = The card's text. Markdown is allowed; it is shown sanitised.
edit-model-intended-use = Intended use
edit-model-training-data = Training data
edit-model-limitations = Limitations
edit-model-ethical-considerations = Ethical considerations
edit-model-framework = Framework
edit-model-framework-hint = Such as fasttext, scikit-learn or transformers.
edit-model-licence = Licence
edit-model-licence-hint = An SPDX identifier, such as mit or apache-2.0.
edit-model-project = Project
edit-model-project-hint = The slug of the project the model belongs to.
edit-model-languages-hint = Language codes, separated by commas.
edit-model-datasets = Data sets
edit-model-datasets-hint = One name per line (names only: data stays home).
organisations-person-lead = Lead of { $workstream }
organisations-person-member = Member of { $workstream }
organisations-people-heading = People
organisations-people-empty = None of its people has joined a workstream you can see.
organisations-benchmarks-heading = Benchmarks taken part in
organisations-benchmarks-empty = It takes part in no benchmark you can see.
organisations-activity-heading = Recent activity
organisations-activity-all = All its activity
edit-preview = Preview
edit-preview-heading = Preview
edit-preview-help = The text as its page will show it. Nothing is saved until you press “Save changes”.
