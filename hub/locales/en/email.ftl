# The weekly (or daily) digest e-mail: its subject, sections, lines and footer.
# What people wrote (event summaries, titles of projects and workstreams) is not translated.

## Subject: [WS4 Training data] 3 new models, 1 assessment — week 48
email-subject = [{ $workstream }] { $counts } — { $period }
email-period-week-short = week { $week }

## Under the heading: the period, in the reader's time zone
email-period-day = { $weekday } { $date } ({ $zone })
email-period-week = Week { $week } of { $year }: { $first } to { $last } ({ $zone })
email-weekday-1 = Monday
email-weekday-2 = Tuesday
email-weekday-3 = Wednesday
email-weekday-4 = Thursday
email-weekday-5 = Friday
email-weekday-6 = Saturday
email-weekday-7 = Sunday

## Sections, and how the subject counts their lines
email-section-projects = Projects
email-count-projects = { $count ->
    [one] { $count } project update
   *[other] { $count } project updates
}
email-section-models = New models
email-count-models = { $count ->
    [one] { $count } new model
   *[other] { $count } new models
}
email-section-assessments = Assessments
email-count-assessments = { $count ->
    [one] { $count } assessment
   *[other] { $count } assessments
}
email-section-benchmarks = Benchmark results
email-count-benchmarks = { $count ->
    [one] { $count } benchmark result
   *[other] { $count } benchmark results
}
email-section-members = New members
email-count-members = { $count ->
    [one] { $count } new member
   *[other] { $count } new members
}
email-section-agents = Silent agents
email-count-agents = { $count ->
    [one] { $count } silent agent
   *[other] { $count } silent agents
}
email-section-other = Other activity
email-count-other = { $count ->
    [one] { $count } other update
   *[other] { $count } other updates
}
email-more-on-the-hub = and { $count } more on the hub
email-more = and { $count } more

## Lines
email-benchmark-result = { $model } on { $benchmark }
email-benchmark-result-metric = { $model } on { $benchmark }: { $metric } { $value }
email-a-benchmark = a benchmark
email-rank-up = rank { $rank } (up from { $previous })
email-rank-down = rank { $rank } (down from { $previous })
email-rank-unchanged = rank { $rank } (unchanged)
email-rank-new = rank { $rank } (new on the leaderboard)
email-agent-silent = Agent { $agent } of { $organisation } went silent
email-agent-last-seen = last seen { $at }

## Footer
email-why = You receive this { $frequency ->
    [daily] daily
   *[weekly] weekly
} digest because you follow { $workstream } on Agora.
email-change-digests = Change your digests
email-unsubscribe = Unsubscribe from this workstream
email-text-workstream = Workstream: { $url }
email-text-change-digests = Change your digests: { $url }
email-text-unsubscribe = Unsubscribe from this workstream: { $url }
