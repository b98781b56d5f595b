# models: the model list, a model card's page, benchmarks, their leaderboards and runs.

## The model list

models-list-heading = Models
models-list-description = Model cards shared by statistical offices: tasks, frameworks, versions and evaluation results.
models-list-lead = Model cards shared by statistical offices. Artefacts stay at their office; cards point to them.
models-filter-label = Filter models
models-filter-organisation = Organisation
models-filter-any-organisation = Any organisation
models-filter-task = Task
models-filter-any-task = Any task
models-filter-submit = Filter
models-filter-clear = Clear filters
models-list-range = { $total ->
    [0] No model cards
    [one] 1 model card
   *[other] { $total } model cards, { $first }–{ $last } shown
}
models-list-caption = Model cards
models-col-model = Model
models-col-organisation = Organisation
models-col-task = Task
models-col-updated = Updated
models-list-empty = No model card you can see matches these filters.

## A model card's page

model-description = Model card of { $title }, shared on Agora.
model-breadcrumb = Breadcrumb
model-breadcrumb-models = Models
model-kind = Model card
model-by = By
model-withdrawn = Withdrawn by its source
model-edit = Edit card
model-assessments-heading = Assessments
model-activity-heading = Activity
model-aside-label = About this model

model-origin-manual = Entered on the hub
model-origin-git = Read from a git manifest
model-origin-agent = Sent by the organisation's agent

model-facts-heading = About
model-facts-tags = Tags
model-facts-project = Project
model-facts-task = Task
model-facts-pipeline = Pipeline
model-facts-framework = Framework
model-facts-licence = Licence
model-facts-licence-name = Licence name
model-facts-base-model = Base model
model-facts-latest-version = Latest version
model-facts-languages = Languages
model-facts-datasets = Data sets
model-facts-metrics = Metrics

model-warnings-heading = Values kept as written
model-warnings-shown-to = Shown to your organisation only: the hub could not use these values for its facets.

model-text-heading = Model card
model-text-empty = This card has no text yet.
model-section-card-body = Model card
model-section-intended-use = Intended use
model-section-training-data = Training data
model-section-limitations = Limitations
model-section-ethics = Ethical considerations

model-versions-heading = Versions
model-versions-empty = No version has been registered.
model-versions-caption = Versions of { $title }
model-versions-col-version = Version
model-versions-col-stage = Stage
model-versions-col-aliases = Aliases
model-versions-col-registered = Registered
model-versions-col-artefact = Artefact
model-versions-col-notes = Notes
model-version-stage-none = none
model-version-stage-staging = staging
model-version-stage-production = production
model-version-stage-archived = archived

model-results-heading = Evaluation results
model-results-empty = No evaluation result has been shared.
model-results-caption = Evaluation results of { $title }
model-results-col-version = Version
model-results-col-metric = Metric
model-results-col-value = Value
model-results-col-dataset = Data set
model-results-col-split = Split
model-results-as-reported = as reported in the card

model-benchmarks-heading = Benchmark results
model-benchmarks-empty = This model has no result on a shared benchmark yet.
model-benchmarks-caption = Benchmark results of { $title }
model-benchmarks-col-benchmark = Benchmark
model-benchmarks-col-organisation = Organisation
model-benchmarks-col-version = Version
model-benchmarks-col-primary-metric = Primary metric
model-benchmarks-col-rank = Rank there
model-benchmarks-col-produced-by = Produced by
model-benchmarks-col-recorded = Recorded
model-benchmarks-rank = { $rank } of { $count }
model-benchmarks-demo = demo data

## The benchmark list

benchmarks-heading = Benchmarks
benchmarks-description = Shared benchmarks: each office evaluates models on its own data and reports metrics.
benchmarks-help = Shared evaluation tasks. Each office evaluates a model on its own data, on its own cluster; only the metrics come back.
benchmarks-empty = No benchmark you may see yet.
benchmarks-caption = { $count ->
    [one] { $count } benchmark
   *[other] { $count } benchmarks
}
benchmarks-col-benchmark = Benchmark
benchmarks-col-task = Task
benchmarks-col-ranked-by = Ranked by
benchmarks-col-organisations = Organisations

## A benchmark's page

benchmark-title = { $title } — benchmark
benchmark-description = Leaderboard of the { $title } benchmark: { $metric }
benchmark-breadcrumb-benchmarks = Benchmarks
benchmark-better-higher = higher is better
benchmark-better-lower = lower is better
benchmark-leaderboard-heading = Leaderboard
benchmark-leaderboard-best-before = Best
benchmark-leaderboard-best-after = ({ $better }) of each model at each organisation.
benchmark-leaderboard-within = Each organisation evaluates on its own dataset, so models are ranked within an organisation.
benchmark-leaderboard-csv = Download as CSV
benchmark-leaderboard-empty = No results yet. Results appear here when organisations' agents finish their jobs.
benchmark-sort-label = Order of the leaderboard
benchmark-sort-rank = By organisation and rank
benchmark-sort-value = Best value first
benchmark-sort-model = By model
benchmark-sort-recorded = Newest first
benchmark-leaderboard-caption = Leaderboard of { $title }
benchmark-col-organisation = Organisation
benchmark-col-rank = Rank
benchmark-col-model = Model
benchmark-col-other-metrics = Other metrics
benchmark-col-produced-by = Produced by
benchmark-col-recorded = Recorded
benchmark-row-version = version { $version }
benchmark-demo = demo data
benchmark-definition-heading = Definition
benchmark-metrics = Metrics
benchmark-direction-maximize = maximize
benchmark-direction-minimize = minimize
benchmark-metric-primary = primary
benchmark-metrics-separator = { "; " }
benchmark-command = Evaluation command
benchmark-command-pin = Command pin
benchmark-command-pin-before = what an agent lists in
benchmark-command-pin-after = to run it
benchmark-image = Image
benchmark-resources = Resources
benchmark-resources-cpu-memory = { $cpus } CPU, { $memory } MB
benchmark-resources-gpus = { $gpus } GPU
benchmark-resources-time-limit = at most { $seconds } s
benchmark-participants = Organisations and their datasets
benchmark-participant = { $organisation }: { $dataset }
benchmark-runs-heading = Recent runs
benchmark-runs-empty = No run you may see yet.
benchmark-run-link = Run { $id }
benchmark-run-link-colon = { ":" }
benchmark-run-model = { $model } version { $version }
benchmark-run-jobs = { $done } of { $total } jobs ended
benchmark-run-state-active = active
benchmark-run-state-succeeded = succeeded
benchmark-run-state-finished = finished
benchmark-run-state-cancelled = cancelled

benchmark-chart-title = Best { $metric } of each model at each organisation
benchmark-chart-desc = { $models ->
    [one] { $models } model
   *[other] { $models } models
} by { $organisations ->
    [one] { $organisations } organisation
   *[other] { $organisations } organisations
}; { $better }. Each organisation evaluates on its own dataset. Darker cells are better values, on one scale for the whole chart (the legend gives its ends). Empty cells: not evaluated there.
benchmark-chart-leading = The chart shows the { $models } models ranked best at some organisation; the table lists them all.
benchmark-chart-cell = { $model } at { $organisation }: { $metric } { $value } (rank { $rank } of { $count }), version { $version }
benchmark-chart-cell-empty = { $model } at { $organisation }: not evaluated

## A benchmark run's page

run-title = Run { $id } of { $title }
run-description = Run { $id } of the { $title } benchmark
run-breadcrumb-benchmarks = Benchmarks
run-heading = Run { $id }: { $model }
run-started-by = started by { $name } on { $date }
run-parameters = parameters { $parameters }
run-jobs-caption = Jobs of run { $id }, one per organisation
run-col-organisation = Organisation
run-col-dataset = Dataset
run-col-state = State
run-col-attempts = Attempts
run-col-agent = Agent
run-col-executor = Executor
run-col-hardware = Hardware
run-col-metrics = Metrics
run-attempts = { $attempts } of { $max }
run-job-state-queued = queued
run-job-state-leased = leased
run-job-state-running = running
run-job-state-succeeded = succeeded
run-job-state-failed = failed
run-job-state-refused = refused
run-job-state-cancelled = cancelled
run-job-state-expired = expired
run-log-heading = Log of { $organisation } (last 64 KiB)

# The model at a glance
glance-heading = At a glance
glance-version-production = In production
glance-version-newest = Newest version
glance-no-version = No version registered yet
glance-registered = registered { $date }
glance-metric = Headline result
glance-metric-on = on { $dataset }
glance-metric-on-split = on { $dataset } ({ $split })
glance-metric-from-card = as the card reports it
glance-no-metric = No result reported yet
glance-qf4sa = QF4SA level
glance-qf4sa-lowest = lowest of the five dimensions
glance-qf4sa-stale = for an older version
glance-no-qf4sa = Not assessed yet
glance-chips = Task, languages, licence and framework
glance-language = Language
glance-get = Artefact:
glance-contact = Published by { $organisation }.
glance-contact-link = Whom to ask
glance-compare = Compare with another model
glance-stage-none = No stage
glance-stage-staging = Staging
glance-stage-production = Production
glance-stage-archived = Archived

# The models list
models-filter-language = Language
models-filter-any-language = Any language
models-filter-stage = Project stage
models-filter-any-stage = Any stage
models-filter-licence = Licence
models-filter-any-licence = Any licence
models-filter-framework = Framework
models-filter-any-framework = Any framework
models-filter-qf4sa = QF4SA assessment
models-filter-any-qf4sa = With or without
models-qf4sa-any = Any, drafts too
models-qf4sa-submitted = Submitted or reviewed
models-qf4sa-reviewed = Reviewed
models-sort-by = Sort by
models-sort-updated = Recently updated
models-sort-created = Newest
models-sort-name = Name
models-col-version = Version
models-col-result = Headline result
models-col-languages = Languages
models-col-qf4sa = QF4SA
