# Shared by every page: the layout, navigation, pager, labels and error pages.

skip-to-content = Skip to content
nav-main = Main
nav-projects = Projects
nav-models = Models
nav-workstreams = Workstreams
nav-organisations = Organisations
nav-benchmarks = Benchmarks
nav-activity = Activity
nav-search = Search
nav-your-account = (your account)
nav-sign-in = Sign in
footer-tagline = Agora — machine learning shared across official statistics. Data stays at each office; only metadata travels.
footer-api = API
language-switcher = Language
count-items = { $count ->
    [one] { $count } item
   *[other] { $count } items
}

pager-pages = Pages
pager-previous = Previous
pager-next = Next
pager-page = { " " }page

activity-empty = Nothing has happened here yet that you can see.
stage-counts-label = Projects of { $code } by journey stage

stage-idea = Idea
stage-pilot = Pilot
stage-validated = Validated
stage-production = Production
stage-maintenance = Maintenance

task-coding = Coding
task-classification = Classification
task-regression = Regression
task-imputation = Imputation
task-editing = Editing
task-nowcasting = Nowcasting
task-forecasting = Forecasting
task-record-linkage = Record linkage
task-imagery = Imagery
task-text-extraction = Text extraction
task-anomaly-detection = Anomaly detection
task-web-scraping = Web scraping
task-other = Other

visibility-public = Public
visibility-members = Members of the hub
visibility-organisation = Its organisation only

subject-project = Project
subject-model = Model
subject-model-version = Version
subject-workstream = Workstream
subject-organisation = Organisation
subject-membership = Members
subject-assessment = Assessment
subject-benchmark = Benchmark
subject-change = Change

provenance = Provenance
provenance-origin = Origin
provenance-agent = Agent
provenance-source = Source
provenance-commit = Commit
provenance-last-sync = Last sync
provenance-listed-since = Listed since
provenance-last-change = Last change
provenance-withdrawn = Its source no longer lists this item: it is kept here but left out of search.

error-status = Error { $status }
error-where-next = Where to go from here
error-not-found = Page not found
error-not-found-member = There is nothing here that you may see. It may have been renamed or removed, or it belongs to another organisation.
error-not-found-visitor = There is nothing here that you may see. It may have been renamed or removed, or be visible only to signed-in members: signing in may show it.
error-search-for = Search for “{ $words }”
error-browse-projects = Browse projects
error-browse-models = Browse models
error-browse-workstreams = Browse workstreams
error-forbidden = Not allowed
error-forbidden-signed-in-as = You are signed in as { $name }.
error-forbidden-explain = Only the people of the organisations that own an item, their stewards and the hub's administrators may change it; ask one of them.
error-your-account = Your account and roles
error-server = Something went wrong
error-server-explain = The hub could not answer this request. The error has been logged; try again in a moment, and tell the hub's administrators if it goes on.
error-other = That request could not be answered
error-sign-in = Sign in
error-home = Home
error-detail = Details (in English): { $detail }
