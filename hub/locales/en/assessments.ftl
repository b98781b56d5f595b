# QF4SA and ethics assessments: view, form, history, print and comparison pages.

## The Quality Framework for Statistical Algorithms (QF4SA)

qf4sa-dimension-explainability = Explainability
qf4sa-dimension-accuracy = Accuracy
qf4sa-dimension-reproducibility = Reproducibility
qf4sa-dimension-timeliness = Timeliness
qf4sa-dimension-cost-effectiveness = Cost-effectiveness
qf4sa-question-explainability = Can the method and its outputs be explained to users and producers?
qf4sa-question-accuracy = How close are the outputs to the true values, and how was that measured?
qf4sa-question-reproducibility = Can the results be produced again from the same inputs?
qf4sa-question-timeliness = Are outputs available when needed, and faster than before?
qf4sa-question-cost-effectiveness = Do the gains outweigh the costs of building and running it?
qf4sa-level-insufficient = Insufficient
qf4sa-level-basic = Basic
qf4sa-level-adequate = Adequate
qf4sa-level-good = Good
qf4sa-level-exemplary = Exemplary
qf4sa-level-not-given = not given
qf4sa-levels-help = Levels: 1 insufficient (not addressed, or serious gaps), 2 basic (addressed informally, gaps remain), 3 adequate (meets what production use expects), 4 good (documented, tested and repeatable), 5 exemplary (best practice, independently checked).
# The radar chart's description, one dimension: "Accuracy 4 of 5 (Good)".
qf4sa-radar-level = { $dimension } { $level } of 5 ({ $name })
qf4sa-radar-separator = { "; " }
qf4sa-radar-differs-mark = ≠
qf4sa-radar-title = QF4SA levels of { $subject }

## The ethics self-assessment of the UK Statistics Authority

ethics-principle-public-good = Public good
ethics-principle-confidentiality = Confidentiality and data security
ethics-principle-methods-quality = Methods and quality
ethics-principle-legal-compliance = Legal compliance
ethics-principle-public-views = Public views and engagement
ethics-principle-transparency = Transparency
ethics-risk-low = low
ethics-risk-medium = medium
ethics-risk-high = high

## Kinds, states and reviews

assessment-kind-qf4sa = QF4SA assessment
assessment-kind-ethics = Ethics self-assessment
# A page's title: "QF4SA assessment of Project metrics". $kind is qf4sa or ethics.
assessment-title = { $kind ->
    [ethics] Ethics self-assessment
   *[qf4sa] QF4SA assessment
} of { $subject }
assessment-print-title = { $kind ->
    [ethics] Ethics self-assessment
   *[qf4sa] QF4SA assessment
} of { $subject } (print)
assessment-state-draft = Draft
assessment-state-submitted = Submitted for review
assessment-state-reviewed = Reviewed
assessment-decision-accepted = Accepted
assessment-decision-changes-requested = Changes requested
assessment-standing-other = of another organisation
assessment-standing-lead = lead of workstream { $workstream }
assessment-version = version { $version }
assessment-version-updated = version { $version } · updated { $updated }
assessment-source-synced-commit = synced by { $agent } from { $source } at commit { $commit }
assessment-source-synced = synced by { $agent } from { $source }
assessment-source-hub = entered on the hub

## A subject's list of assessments

assessment-list-empty = No assessment yet.
assessment-stale-newer = Stale: a newer version exists
assessment-card-meta = { $subject } · version { $version } · updated { $updated }

## The view and print pages

assessment-view-description = A QF4SA quality or ethics self-assessment, its levels and reviews.
assessment-stale-warning = Stale: this assessment is of an older version of the model; its newest version is { $version }.
assessment-stale-label = Stale:
assessment-stale-print = the model's newest version is { $version }.
assessment-withdrawn = Withdrawn: its source no longer lists it.
assessment-actions = Assessment
assessment-history = History
assessment-print = Print
assessment-export = Export JSON
assessment-edit = Edit (new version)
assessment-radar-caption = QF4SA levels, 1 (centre) to 5 (edge). The table below gives each level with its evidence.
assessment-dimensions-caption = QF4SA dimensions, levels 1 (insufficient) to 5 (exemplary)
assessment-principles-caption = Ethics principles of the UK Statistics Authority self-assessment
assessment-dimension = Dimension
assessment-principle = Principle
assessment-level = Level
assessment-evidence = Evidence
assessment-answer = Answer
assessment-risk = Risk
assessment-mitigation = Mitigation
assessment-summary = Summary
assessment-submit-hint = When the assessment is complete, submit it: a person of another organisation, or a lead of one of its workstreams, reviews it.
assessment-submit = Submit version { $version } for review
assessment-review-heading = Review version { $version }
assessment-decision = Decision
assessment-accept = Accept: the assessment becomes reviewed
assessment-request-changes = Request changes: it returns to draft
assessment-comments = Comments
assessment-record-review = Record the review
assessment-review-choose = choose: accept, or request changes
assessment-reviews = Reviews
assessment-not-reviewed = Not reviewed yet.
assessment-sign-in-to-review = Sign in to review.
# After the decision: "(version 2) by Claire (insee), of another organisation, 1 Dec 2026, 14:05 UTC".
assessment-review-by = (version { $version }) by { $reviewer }, { $standing }, { $at }
assessment-back = Back to the assessment

## The form

assessment-form-description = Write or edit a QF4SA quality or ethics assessment.
assessment-new-project = { $kind ->
    [ethics] New Ethics self-assessment
   *[qf4sa] New QF4SA assessment
} of project { $project }
assessment-new-model = { $kind ->
    [ethics] New Ethics self-assessment
   *[qf4sa] New QF4SA assessment
} of { $model } version { $version }
assessment-edit-heading = { $kind ->
    [ethics] Edit the Ethics self-assessment
   *[qf4sa] Edit the QF4SA assessment
} of { $subject }
assessment-edit-heading-now = { $kind ->
    [ethics] Edit the Ethics self-assessment
   *[qf4sa] Edit the QF4SA assessment
} of { $subject } (now version { $version })
assessment-form-problems = { $count ->
    [one] { $count } problem to fix
   *[other] { $count } problems to fix
}
assessment-form-problems-hint = Each is shown next to its field.
assessment-choose-level = Choose a level
assessment-links = Links
assessment-links-help = (one http or https address a line)
assessment-optional = (optional)
assessment-choose-risk = Choose a risk level
assessment-mitigation-help = (required when the risk is medium or high)
assessment-note = What this version changes
assessment-note-help = (optional, shown in the history)
assessment-save = Save
assessment-cancel = Cancel
assessment-error-choose-level = choose a level from 1 to 5
assessment-error-choose-risk = choose a risk level
assessment-error-empty = must not be empty
assessment-error-too-long = must be at most { $max } characters
assessment-error-too-many = must have at most { $max } entries
assessment-error-repeated = is repeated
assessment-error-mitigation-required = is required when the risk is medium or high
assessment-error-level = level must be a whole number from 1 to 5, got { $value }
assessment-error-not-url = `{ $value }` is not a URL
assessment-error-not-allowed-create = you may not assess another organisation's work: its own people write its assessments
assessment-error-not-allowed-edit = you may not change another organisation's assessment

## The history page

assessment-history-description = The versions of an assessment and what changed between them.
assessment-history-title = History of the { $kind ->
    [ethics] Ethics self-assessment
   *[qf4sa] QF4SA assessment
} of { $subject }
assessment-versions-caption = Versions, newest first
assessment-col-version = Version
assessment-col-when = When
assessment-col-by = By
assessment-col-note = Note
assessment-col-changes = Changes
assessment-current = (current)
assessment-compare-with = compare with { $version }
assessment-first-version = first version
assessment-diff-heading = From version { $from } to version { $to }
assessment-diff-from = From
assessment-diff-to = to
assessment-diff-compare = Compare
assessment-no-differences = No differences.
assessment-changes-to = Changes to { $field }
assessment-diff-removed = removed:
assessment-diff-added = added:
# A field of the history's diff: "Accuracy: level".
assessment-diff-field = { $name }: { $part }
assessment-diff-part-level = level
assessment-diff-part-evidence = evidence
assessment-diff-part-links = links
assessment-diff-part-answer = answer
assessment-diff-part-risk = risk
assessment-diff-part-mitigation = mitigation

## The comparison page

assessment-compare-description = Side-by-side comparison of models' QF4SA quality assessments.
assessment-compare-title = Comparing QF4SA assessments
assessment-compare-missing = No QF4SA assessment you may see for: { $names }.
assessment-compare-how = Nothing to compare yet: name a model below, then another.
assessment-compare-radar-title = QF4SA levels of the compared assessments
assessment-compare-legend = Compared assessments
assessment-compare-differs-help = A dimension marked ≠ has levels that differ; its row below is marked too.
assessment-compare-add = Add a model
assessment-compare-add-help = Its organisation and name, such as insee/naf-coder; the list offers every model with a QF4SA assessment.
assessment-compare-add-button = Add to the comparison
assessment-compare-caption = Levels (1 to 5) and evidence, one column per assessment
assessment-compare-differs = differs
assessment-stale = Stale
