# The front page, the activity feed and search.

home-title = Machine learning in official statistics
home-description = Agora: the projects, models and workstreams of machine learning in official statistics, shared across offices.
home-lead = Pilots, production systems and model cards shared by statistical offices. Data stays at each office; only what they choose to share travels.
home-search-label = Search projects, models, workstreams and organisations
home-search-placeholder = for example: occupation coding
home-search-button = Search
home-no-workstream = No workstream is visible to you yet.
home-project-count = { $count ->
    [one] 1 project
   *[other] { $count } projects
}
home-recent-activity = Recent activity
home-all-activity = All activity

activity-description = What changed lately in the projects, models and workstreams of machine learning in official statistics.
activity-filter = Filter activity
activity-any-workstream = Any workstream
activity-any-organisation = Any organisation
activity-about = About
activity-everything = Everything
activity-filter-button = Filter
activity-clear-filters = Clear filters
activity-older = Older activity
activity-kind-projects = Projects
activity-kind-models = Model cards
activity-kind-model-versions = Model versions
activity-kind-memberships = Memberships
activity-kind-workstreams = Workstreams
activity-kind-organisations = Organisations

search-description = Search the projects, model cards, workstreams and organisations of official statistics' machine learning work.
search-title-for = { $q } — search
search-help = Typos are forgiven. Use "quotes" for a phrase and -word to leave a word out.
search-error = That search could not run
search-filters = Filters
search-results-word = results
search-apply-filters = Apply filters
search-result-count = { $count ->
    [0] No results
    [one] 1 result
   *[other] { $count } results
}
search-for = for
search-sort-by = Sort by
search-sort-relevance = Relevance
search-sort-updated = Recently updated
search-sort = Sort
search-showing = Showing { $first }–{ $last } · { $ms } ms
search-updated = updated
search-pages = Pages of results
search-page-number = Page
search-nothing = Nothing you can see matches.
search-nothing-filtered = Nothing you can see matches with these filters.
search-nothing-matches = Nothing you can see matches
search-with-filters = with these filters
search-again-without-filters = Search again without filters
search-tip-words = Try fewer or more general words:
search-tip-words-short = coding
search-tip-words-rather = rather than
search-tip-words-long = automatic coding of occupations
search-tip-task = Search by task, such as
search-tip-or = or
search-browse-everything = Browse everything
search-browse-newest-first = , newest first.
search-tip-sign-in = Some work is visible only to members or to its own organisation; signing in may show more.
search-facet-kind = Kind
search-facet-workstream = Workstream
search-facet-organisation = Organisation
search-facet-task = Task
search-facet-framework = Framework
search-facet-language = Language
search-facet-licence = Licence
search-facet-qf4sa = QF4SA assessment
search-facet-stage = Journey stage
search-kind-item = Item
search-qf4sa-any = Any
search-qf4sa-submitted = Submitted
search-qf4sa-reviewed = Reviewed

# Activity lines, read back from the English summaries the hub writes ($a, $b… are their parts).
event-kind-qf4sa = QF4SA assessment
event-kind-ethics = Ethics self-assessment
event-project-created = New project “{ $a }” ({ $b })
event-project-moved = “{ $a }” moved from { $b } to { $c }
event-project-updated = “{ $a }” was updated
event-listed-again = “{ $a }” is listed again by its source
event-model-created = New model card “{ $a }”
event-model-listed-again = Model card “{ $a }” is listed again by its source
event-model-updated = Model card “{ $a }” was updated
event-version-created = “{ $a }” version { $b } registered
event-version-listed-again = “{ $a }” version { $b } is listed again by its source
event-version-updated = “{ $a }” version { $b } was updated
event-workstream-created = { $a } was started
event-workstream-updated = { $a } was updated
event-organisation-created = { $a } joined the hub
event-organisation-updated = { $a } was updated
event-membership-lead = { $a } joined as a lead
event-membership-joined = { $a } joined
event-membership-now-lead = { $a } is now a lead
event-membership-now-member = { $a } is now a member
event-membership-left = { $a } left
event-assessment-created = New { $a } of “{ $b }”
event-assessment-listed-again = { $a } of “{ $b }” is listed again by its source
event-assessment-changed = { $a } of “{ $b }” changed (version { $c })
event-assessment-submitted = { $a } of “{ $b }” was submitted for review (version { $c })
event-assessment-accepted = { $a } of “{ $b }” was reviewed and accepted (version { $c })
event-assessment-changes-requested = { $a } of “{ $b }” was reviewed: changes requested (version { $c })
event-benchmark-created = { $a } created benchmark { $b }
event-benchmark-updated = { $a } updated benchmark { $b }
event-run-created = { $a } started a run of { $b } on { $c } version { $d } at { $e }
event-result-recorded = { $a } version { $b } scored { $c } { $d } on { $e } at { $f }
home-count-organisations = { $count ->
    [one] { $count } organisation
   *[other] { $count } organisations
}
home-count-projects = { $count ->
    [one] { $count } project
   *[other] { $count } projects
}
home-count-models = { $count ->
    [one] { $count } model
   *[other] { $count } models
}
home-count-benchmarks = { $count ->
    [one] { $count } benchmark
   *[other] { $count } benchmarks
}
search-active-filters = Active filters
search-remove-filter = Remove the filter { $filter }
search-clear-all = Clear all
search-hit-qf4sa = QF4SA level { $level }
search-compare-tick = compare
search-compare-button = Compare ticked models
search-compare-help = Tick two or more models with a QF4SA assessment to see them on one chart.
activity-today = Today
activity-yesterday = Yesterday
activity-period = When
activity-period-any = Any time
activity-period-today = Today
activity-period-week = This week
activity-period-month = This month
home-newest-models = Newest models
home-all-models = All models, newest first
