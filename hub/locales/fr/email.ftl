# Le courriel récapitulatif hebdomadaire (ou quotidien) : objet, rubriques, lignes et pied.
# Ce que les gens ont écrit (résumés d'événements, titres des projets et chantiers) n'est pas traduit.

## Objet : [WS4 Training data] 3 nouveaux modèles, 1 évaluation — semaine 48
email-subject = [{ $workstream }] { $counts } — { $period }
email-period-week-short = semaine { $week }

## Sous le titre : la période, dans le fuseau horaire du lecteur
email-period-day = { $weekday } { $date } ({ $zone })
email-period-week = Semaine { $week } de { $year } : du { $first } au { $last } ({ $zone })
email-weekday-1 = lundi
email-weekday-2 = mardi
email-weekday-3 = mercredi
email-weekday-4 = jeudi
email-weekday-5 = vendredi
email-weekday-6 = samedi
email-weekday-7 = dimanche

## Rubriques, et leur décompte dans l'objet
email-section-projects = Projets
email-count-projects = { $count ->
    [one] { $count } mise à jour de projet
   *[other] { $count } mises à jour de projets
}
email-section-models = Nouveaux modèles
email-count-models = { $count ->
    [one] { $count } nouveau modèle
   *[other] { $count } nouveaux modèles
}
email-section-assessments = Évaluations
email-count-assessments = { $count ->
    [one] { $count } évaluation
   *[other] { $count } évaluations
}
email-section-benchmarks = Résultats de bancs d'essai
email-count-benchmarks = { $count ->
    [one] { $count } résultat de banc d'essai
   *[other] { $count } résultats de bancs d'essai
}
email-section-members = Nouveaux membres
email-count-members = { $count ->
    [one] { $count } nouveau membre
   *[other] { $count } nouveaux membres
}
email-section-agents = Agents silencieux
email-count-agents = { $count ->
    [one] { $count } agent silencieux
   *[other] { $count } agents silencieux
}
email-section-other = Autres activités
email-count-other = { $count ->
    [one] { $count } autre mise à jour
   *[other] { $count } autres mises à jour
}
email-more-on-the-hub = et { $count } de plus sur le hub
email-more = et { $count } de plus

## Lignes
email-benchmark-result = { $model } sur { $benchmark }
email-benchmark-result-metric = { $model } sur { $benchmark } : { $metric } { $value }
email-a-benchmark = un banc d'essai
email-rank-up = rang { $rank } (en hausse, auparavant { $previous })
email-rank-down = rang { $rank } (en baisse, auparavant { $previous })
email-rank-unchanged = rang { $rank } (inchangé)
email-rank-new = rang { $rank } (nouveau au classement)
email-agent-silent = L'agent { $agent } de { $organisation } ne donne plus signe de vie
email-agent-last-seen = vu pour la dernière fois le { $at }

## Pied
email-why = Vous recevez ce récapitulatif { $frequency ->
    [daily] quotidien
   *[weekly] hebdomadaire
} parce que vous suivez { $workstream } sur Agora.
email-change-digests = Modifier vos récapitulatifs
email-unsubscribe = Se désabonner de ce chantier
email-text-workstream = Chantier : { $url }
email-text-change-digests = Modifier vos récapitulatifs : { $url }
email-text-unsubscribe = Se désabonner de ce chantier : { $url }
