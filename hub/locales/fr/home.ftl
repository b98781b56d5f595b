# La page d'accueil, le fil d'activité et la recherche.

home-title = L'apprentissage automatique dans la statistique publique
home-description = Agora : les projets, modèles et chantiers de l'apprentissage automatique dans la statistique publique, partagés entre instituts.
home-lead = Pilotes, systèmes en production et fiches de modèles partagés par les instituts statistiques. Les données restent dans chaque institut ; seul ce qu'il choisit de partager circule.
home-search-label = Rechercher des projets, modèles, chantiers et organisations
home-search-placeholder = par exemple : codification des professions
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
search-tip-words = Essayez des mots moins nombreux ou plus généraux :
search-tip-words-short = codification
search-tip-words-rather = plutôt que
search-tip-words-long = codification automatique des professions
search-tip-task = Cherchez par tâche, par exemple
search-tip-or = ou
search-browse-everything = Tout parcourir
search-browse-newest-first = , du plus récent au plus ancien.
search-tip-sign-in = Certains travaux ne sont visibles que des membres ou de leur propre organisation ; se connecter peut en montrer davantage.
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
