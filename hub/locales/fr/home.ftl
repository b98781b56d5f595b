# La page d'accueil, le fil d'activité et la recherche.

home-title = L'apprentissage automatique dans la statistique publique
home-description = Agora : les projets, modèles et chantiers de l'apprentissage automatique dans la statistique publique, partagés entre instituts.
home-lead = Pilotes, systèmes en production et fiches de modèles partagés par les instituts statistiques. Les données restent dans chaque institut ; seul ce qu'il choisit de partager circule.
home-search-label = Rechercher des projets, modèles, chantiers et organisations
home-search-placeholder = par exemple : codification des professions
home-search-button = Rechercher
home-no-workstream = Aucun chantier ne vous est encore visible.
home-project-count = { $count ->
    [one] 1 projet
   *[other] { $count } projets
}
home-recent-activity = Activité récente
home-all-activity = Toute l'activité

activity-description = Les derniers changements dans les projets, modèles et chantiers de l'apprentissage automatique dans la statistique publique.
activity-filter = Filtrer l'activité
activity-any-workstream = Tous les chantiers
activity-any-organisation = Toutes les organisations
activity-about = Sujet
activity-everything = Tout
activity-filter-button = Filtrer
activity-clear-filters = Effacer les filtres
activity-older = Activité plus ancienne
activity-kind-projects = Projets
activity-kind-models = Fiches de modèles
activity-kind-model-versions = Versions de modèles
activity-kind-memberships = Adhésions
activity-kind-workstreams = Chantiers
activity-kind-organisations = Organisations

search-description = Rechercher les projets, fiches de modèles, chantiers et organisations de l'apprentissage automatique dans la statistique publique.
search-title-for = { $q } — recherche
search-help = Les fautes de frappe sont pardonnées. Mettez une expression entre "guillemets" et écrivez -mot pour exclure un mot.
search-error = Cette recherche n'a pas pu être lancée
search-filters = Filtres
search-results-word = résultats
search-apply-filters = Appliquer les filtres
search-result-count = { $count ->
    [0] Aucun résultat
    [one] 1 résultat
   *[other] { $count } résultats
}
search-for = pour
search-sort-by = Trier par
search-sort-relevance = Pertinence
search-sort-updated = Mis à jour récemment
search-sort = Trier
search-showing = Résultats { $first } à { $last } · { $ms } ms
search-updated = mis à jour le
search-pages = Pages de résultats
search-page-number = Page
search-nothing = Rien de ce que vous pouvez voir ne correspond.
search-nothing-filtered = Rien de ce que vous pouvez voir ne correspond à ces filtres.
search-nothing-matches = Rien de ce que vous pouvez voir ne correspond à
search-with-filters = avec ces filtres
search-again-without-filters = Relancer la recherche sans filtres
search-tip-words = Essayez des mots moins nombreux ou plus généraux :
search-tip-words-short = codification
search-tip-words-rather = plutôt que
search-tip-words-long = codification automatique des professions
search-tip-task = Cherchez par tâche, par exemple
search-tip-or = ou
search-browse-everything = Tout parcourir
search-browse-newest-first = , du plus récent au plus ancien.
search-tip-sign-in = Certains travaux ne sont visibles que des membres ou de leur propre organisation ; se connecter peut en montrer davantage.
search-facet-kind = Type
search-facet-workstream = Chantier
search-facet-organisation = Organisation
search-facet-task = Tâche
search-facet-framework = Bibliothèque
search-facet-language = Langue
search-facet-licence = Licence
search-facet-qf4sa = Évaluation QF4SA
search-facet-stage = Étape du parcours
search-kind-item = Élément
search-qf4sa-any = Toutes
search-qf4sa-submitted = Soumise
search-qf4sa-reviewed = Relue

# Lignes d'activité, relues depuis les résumés anglais qu'écrit le hub ($a, $b… en sont les parties).
event-kind-qf4sa = évaluation QF4SA
event-kind-ethics = auto-évaluation éthique
event-project-created = Nouveau projet « { $a } » ({ $b })
event-project-moved = « { $a } » est passé de { $b } à { $c }
event-project-updated = « { $a } » a été mis à jour
event-listed-again = « { $a } » est de nouveau référencé par sa source
event-model-created = Nouvelle fiche de modèle « { $a } »
event-model-listed-again = La fiche de modèle « { $a } » est de nouveau référencée par sa source
event-model-updated = La fiche de modèle « { $a } » a été mise à jour
event-version-created = « { $a } » version { $b } enregistrée
event-version-listed-again = « { $a } » version { $b } est de nouveau référencée par sa source
event-version-updated = « { $a } » version { $b } a été mise à jour
event-workstream-created = Lancement du chantier { $a }
event-workstream-updated = Le chantier { $a } a été mis à jour
event-organisation-created = { $a } a rejoint le hub
event-organisation-updated = { $a } a été mis à jour
event-membership-lead = { $a } a rejoint le chantier comme responsable
event-membership-joined = { $a } a rejoint le chantier
event-membership-now-lead = { $a } est désormais responsable
event-membership-now-member = { $a } est désormais membre
event-membership-left = { $a } a quitté le chantier
event-assessment-created = Nouvelle { $a } de « { $b } »
event-assessment-listed-again = { $a } de « { $b } » : de nouveau référencée par sa source
event-assessment-changed = { $a } de « { $b } » modifiée (version { $c })
event-assessment-submitted = { $a } de « { $b } » soumise à relecture (version { $c })
event-assessment-accepted = { $a } de « { $b } » relue et acceptée (version { $c })
event-assessment-changes-requested = { $a } de « { $b } » relue : modifications demandées (version { $c })
event-benchmark-created = { $a } a créé le banc d'essai { $b }
event-benchmark-updated = { $a } a mis à jour le banc d'essai { $b }
event-run-created = { $a } a lancé une exécution de { $b } sur { $c } version { $d } chez { $e }
event-result-recorded = { $a } version { $b } a obtenu { $c } { $d } sur { $e } chez { $f }
home-count-organisations = { $count ->
    [one] { $count } organisation
   *[other] { $count } organisations
}
home-count-projects = { $count ->
    [one] { $count } projet
   *[other] { $count } projets
}
home-count-models = { $count ->
    [one] { $count } modèle
   *[other] { $count } modèles
}
home-count-benchmarks = { $count ->
    [one] { $count } banc d'essai
   *[other] { $count } bancs d'essai
}
search-active-filters = Filtres actifs
search-remove-filter = Retirer le filtre { $filter }
search-clear-all = Tout effacer
search-hit-qf4sa = Niveau QF4SA { $level }
search-compare-tick = comparer
search-compare-button = Comparer les modèles cochés
search-compare-help = Cochez deux modèles ou plus ayant une évaluation QF4SA pour les voir sur un même graphique.
activity-today = Aujourd’hui
activity-yesterday = Hier
activity-period = Quand
activity-period-any = N’importe quand
activity-period-today = Aujourd’hui
activity-period-week = Cette semaine
activity-period-month = Ce mois-ci
home-newest-models = Derniers modèles
home-all-models = Tous les modèles, les plus récents d’abord
