# models: the model list, a model card's page, benchmarks, their leaderboards and runs.

## The model list

models-list-heading = Modèles
models-list-description = Fiches de modèles partagées par les offices statistiques : tâches, bibliothèques, versions et résultats d’évaluation.
models-list-lead = Fiches de modèles partagées par les offices statistiques. Les artefacts restent dans leur office ; les fiches y renvoient.
models-filter-label = Filtrer les modèles
models-filter-organisation = Organisation
models-filter-any-organisation = Toutes les organisations
models-filter-task = Tâche
models-filter-any-task = Toutes les tâches
models-filter-submit = Filtrer
models-filter-clear = Effacer les filtres
models-list-range = { $total ->
    [0] Aucune fiche de modèle
    [one] 1 fiche de modèle
   *[other] { $total } fiches de modèles, { $first } à { $last } affichées
}
models-list-caption = Fiches de modèles
models-col-model = Modèle
models-col-organisation = Organisation
models-col-task = Tâche
models-col-updated = Mise à jour
models-list-empty = Aucune fiche de modèle visible pour vous ne correspond à ces filtres.

## A model card's page

model-description = Fiche du modèle { $title }, partagée sur Agora.
model-breadcrumb = Fil d’Ariane
model-breadcrumb-models = Modèles
model-kind = Fiche de modèle
model-by = Par
model-withdrawn = Retiré par sa source
model-edit = Modifier la fiche
model-assessments-heading = Évaluations
model-activity-heading = Activité
model-aside-label = À propos de ce modèle

model-origin-manual = Saisi sur la plateforme
model-origin-git = Lu dans un manifeste git
model-origin-agent = Envoyé par l’agent de l’organisation

model-facts-heading = À propos
model-facts-tags = Mots-clés
model-facts-project = Projet
model-facts-task = Tâche
model-facts-pipeline = Pipeline
model-facts-framework = Bibliothèque
model-facts-licence = Licence
model-facts-licence-name = Nom de la licence
model-facts-base-model = Modèle de base
model-facts-latest-version = Dernière version
model-facts-languages = Langues
model-facts-datasets = Jeux de données
model-facts-metrics = Métriques

model-warnings-heading = Valeurs gardées telles quelles
model-warnings-shown-to = Montré à votre organisation seulement : le hub n’a pas pu utiliser ces valeurs pour ses facettes.

model-text-heading = Fiche de modèle
model-text-empty = Cette fiche n’a pas encore de texte.
model-section-card-body = Fiche de modèle
model-section-intended-use = Usage prévu
model-section-training-data = Données d’entraînement
model-section-limitations = Limites
model-section-ethics = Considérations éthiques

model-versions-heading = Versions
model-versions-empty = Aucune version n’a été enregistrée.
model-versions-caption = Versions de { $title }
model-versions-col-version = Version
model-versions-col-stage = Étape
model-versions-col-aliases = Alias
model-versions-col-registered = Date d’enregistrement
model-versions-col-artefact = Artefact
model-versions-col-notes = Notes
model-version-stage-none = aucune
model-version-stage-staging = préproduction
model-version-stage-production = production
model-version-stage-archived = archivée

model-results-heading = Résultats d’évaluation
model-results-empty = Aucun résultat d’évaluation n’a été partagé.
model-results-caption = Résultats d’évaluation de { $title }
model-results-col-version = Version
model-results-col-metric = Métrique
model-results-col-value = Valeur
model-results-col-dataset = Jeu de données
model-results-col-split = Partition
model-results-as-reported = tel qu’indiqué dans la fiche

model-benchmarks-heading = Résultats aux bancs d’essai
model-benchmarks-empty = Ce modèle n’a encore aucun résultat sur un banc d’essai partagé.
model-benchmarks-caption = Résultats de { $title } aux bancs d’essai
model-benchmarks-col-benchmark = Banc d’essai
model-benchmarks-col-organisation = Organisation
model-benchmarks-col-version = Version
model-benchmarks-col-primary-metric = Métrique principale
model-benchmarks-col-rank = Rang dans l’organisation
model-benchmarks-col-produced-by = Produit par
model-benchmarks-col-recorded = Date d’enregistrement
model-benchmarks-rank = { $rank } sur { $count }
model-benchmarks-demo = données de démonstration

## The benchmark list

benchmarks-heading = Bancs d’essai
benchmarks-description = Bancs d’essai partagés : chaque office évalue des modèles sur ses propres données et en communique les métriques.
benchmarks-help = Des tâches d’évaluation partagées. Chaque office évalue un modèle sur ses propres données, sur sa propre infrastructure de calcul ; seules les métriques reviennent.
benchmarks-empty = Aucun banc d’essai visible pour vous pour l’instant.
benchmarks-caption = { $count ->
    [one] { $count } banc d’essai
   *[other] { $count } bancs d’essai
}
benchmarks-col-benchmark = Banc d’essai
benchmarks-col-task = Tâche
benchmarks-col-ranked-by = Classé selon
benchmarks-col-organisations = Organisations

## A benchmark's page

benchmark-title = { $title } — banc d’essai
benchmark-description = Classement du banc d’essai { $title } : { $metric }
benchmark-breadcrumb-benchmarks = Bancs d’essai
benchmark-better-higher = plus la valeur est élevée, mieux c’est
benchmark-better-lower = plus la valeur est basse, mieux c’est
benchmark-leaderboard-heading = Classement
benchmark-leaderboard-best-before = Meilleur résultat en
benchmark-leaderboard-best-after = ({ $better }) de chaque modèle dans chaque organisation.
benchmark-leaderboard-within = Chaque organisation évalue sur son propre jeu de données : les modèles sont donc classés au sein d’une organisation.
benchmark-leaderboard-csv = Télécharger en CSV
benchmark-leaderboard-empty = Aucun résultat pour l’instant. Les résultats apparaissent ici lorsque les agents des organisations ont terminé leurs tâches.
benchmark-sort-label = Ordre du classement
benchmark-sort-rank = Par organisation et par rang
benchmark-sort-value = Meilleure valeur d’abord
benchmark-sort-model = Par modèle
benchmark-sort-recorded = Plus récents d’abord
benchmark-leaderboard-caption = Classement de { $title }
benchmark-col-organisation = Organisation
benchmark-col-rank = Rang
benchmark-col-model = Modèle
benchmark-col-other-metrics = Autres métriques
benchmark-col-produced-by = Produit par
benchmark-col-recorded = Date d’enregistrement
benchmark-row-version = version { $version }
benchmark-demo = données de démonstration
benchmark-definition-heading = Définition
benchmark-metrics = Métriques
benchmark-direction-maximize = à maximiser
benchmark-direction-minimize = à minimiser
benchmark-metric-primary = principale
benchmark-metrics-separator = { " ; " }
benchmark-command = Commande d’évaluation
benchmark-command-pin = Empreinte de la commande
benchmark-command-pin-before = ce qu’un agent inscrit dans
benchmark-command-pin-after = pour l’exécuter
benchmark-image = Image
benchmark-resources = Ressources
benchmark-resources-cpu-memory = { $cpus } CPU, { $memory } Mo
benchmark-resources-gpus = { $gpus } GPU
benchmark-resources-time-limit = { $seconds } s au plus
benchmark-participants = Organisations et leurs jeux de données
benchmark-participant = { $organisation } : { $dataset }
benchmark-runs-heading = Exécutions récentes
benchmark-runs-empty = Aucune exécution visible pour vous pour l’instant.
benchmark-run-link = Exécution { $id }
benchmark-run-link-colon = { " :" }
benchmark-run-model = { $model } version { $version }
benchmark-run-jobs = { $done ->
    [one] { $done } tâche terminée
   *[other] { $done } tâches terminées
} sur { $total }
benchmark-run-state-active = en cours
benchmark-run-state-succeeded = réussie
benchmark-run-state-finished = terminée
benchmark-run-state-cancelled = annulée

benchmark-chart-title = Meilleur résultat en { $metric } de chaque modèle dans chaque organisation
benchmark-chart-desc = { $models ->
    [one] { $models } modèle
   *[other] { $models } modèles
} par { $organisations ->
    [one] { $organisations } organisation
   *[other] { $organisations } organisations
} ; { $better }. Chaque organisation évalue sur son propre jeu de données. Les cellules les plus foncées sont les meilleures valeurs, sur une même échelle pour tout le graphique (la légende en donne les bornes). Cellules vides : pas d’évaluation dans cette organisation.
benchmark-chart-leading = Le graphique montre les { $models } modèles les mieux classés dans au moins une organisation ; le tableau les liste tous.
benchmark-chart-cell = { $model } dans l’organisation { $organisation } : { $metric } { $value } (rang { $rank } sur { $count }), version { $version }
benchmark-chart-cell-empty = { $model } dans l’organisation { $organisation } : non évalué

## A benchmark run's page

run-title = Exécution { $id } de { $title }
run-description = Exécution { $id } du banc d’essai { $title }
run-breadcrumb-benchmarks = Bancs d’essai
run-heading = Exécution { $id } : { $model }
run-started-by = lancée par { $name } le { $date }
run-parameters = paramètres { $parameters }
run-jobs-caption = Tâches de l’exécution { $id }, une par organisation
run-col-organisation = Organisation
run-col-dataset = Jeu de données
run-col-state = État
run-col-attempts = Tentatives
run-col-agent = Agent
run-col-executor = Exécuteur
run-col-hardware = Matériel
run-col-metrics = Métriques
run-attempts = { $attempts } sur { $max }
run-job-state-queued = en attente
run-job-state-leased = attribuée
run-job-state-running = en cours
run-job-state-succeeded = réussie
run-job-state-failed = échouée
run-job-state-refused = refusée
run-job-state-cancelled = annulée
run-job-state-expired = expirée
run-log-heading = Journal de { $organisation } (derniers 64 Kio)

# The model at a glance
glance-heading = En bref
glance-version-production = En production
glance-version-newest = Version la plus récente
glance-no-version = Aucune version enregistrée
glance-registered = enregistrée le { $date }
glance-metric = Résultat principal
glance-metric-on = sur { $dataset }
glance-metric-on-split = sur { $dataset } ({ $split })
glance-metric-from-card = selon la fiche
glance-no-metric = Aucun résultat publié
glance-qf4sa = Niveau QF4SA
glance-qf4sa-lowest = le plus bas des cinq critères
glance-qf4sa-stale = d’une version antérieure
glance-no-qf4sa = Pas encore évalué
glance-chips = Tâche, langues, licence et bibliothèque
glance-language = Langue
glance-get = Artefact :
glance-contact = Publié par { $organisation }.
glance-contact-link = Qui contacter
glance-compare = Comparer avec un autre modèle
glance-stage-none = Sans étape
glance-stage-staging = Préproduction
glance-stage-production = Production
glance-stage-archived = Archivée

# The models list
models-filter-language = Langue
models-filter-any-language = Toutes les langues
models-filter-stage = Étape du projet
models-filter-any-stage = Toutes les étapes
models-filter-licence = Licence
models-filter-any-licence = Toutes les licences
models-filter-framework = Bibliothèque
models-filter-any-framework = Toutes les bibliothèques
models-filter-qf4sa = Évaluation QF4SA
models-filter-any-qf4sa = Avec ou sans
models-qf4sa-any = Quelconque, brouillons compris
models-qf4sa-submitted = Soumise ou relue
models-qf4sa-reviewed = Relue
models-sort-by = Trier par
models-sort-updated = Mis à jour récemment
models-sort-created = Les plus récents
models-sort-name = Nom
models-col-version = Version
models-col-result = Résultat principal
models-col-languages = Langues
models-col-qf4sa = QF4SA
