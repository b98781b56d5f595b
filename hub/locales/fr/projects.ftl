# Projets, organisations, chantiers et formulaires de modification.

## Partagé par les pages de ce domaine

projects-breadcrumb = Fil d'Ariane

## /projects

projects-list-description = Études pilotes et systèmes en production d'apprentissage automatique dans la statistique publique, par étape du parcours, tâche et organisation.
projects-list-lead = Études pilotes et systèmes en production, de la première idée à la maintenance.
projects-filters = Filtrer les projets
projects-filter-stage = Étape du parcours
projects-filter-any-stage = Toutes les étapes
projects-filter-task = Tâche
projects-filter-any-task = Toutes les tâches
projects-filter-workstream = Chantier
projects-filter-any-workstream = Tous les chantiers
projects-filter-organisation = Organisation
projects-filter-any-organisation = Toutes les organisations
projects-filter-submit = Filtrer
projects-filter-clear = Effacer les filtres
projects-list-none = Aucun projet
projects-list-count = { $count ->
    [one] { $count } projet
   *[other] { $count } projets
}
projects-list-range = { $count ->
    [one] { $count } projet, { $first }–{ $last } affiché
   *[other] { $count } projets, { $first }–{ $last } affichés
}
projects-list-empty = Aucun projet visible pour vous ne correspond à ces filtres.
projects-row-updated = mis à jour le { $date }

## /projects/{slug}

projects-show-description = { $title } : { $summary }
projects-withdrawn = Retiré par sa source
projects-edit = Modifier le projet
projects-summary-heading = Résumé
projects-assessments-heading = Évaluations
projects-activity-heading = Activité
projects-about = À propos de ce projet
projects-timeline-heading = Étape du parcours : { $stage }
projects-timeline-passed = (franchie)
projects-timeline-current = (étape actuelle)
projects-timeline-ahead = (à venir)
projects-models-heading = Modèles
projects-models-empty = Aucune fiche de modèle n'est liée à ce projet.
projects-models-version = version { $version }
projects-facts-heading = À propos
projects-facts-organisations = Organisations
projects-facts-workstreams = Chantiers
projects-facts-task = Tâche
projects-facts-gsbpm = GSBPM
projects-facts-domain = Domaine
projects-facts-languages = Langues
projects-facts-data-sources = Sources de données
projects-facts-repositories = Dépôts
projects-facts-none-listed = Aucun indiqué
projects-facts-contacts = Contacts
projects-facts-tags = Mots-clés

## /organisations

organisations-list-description = Les instituts statistiques et organisations internationales qui partagent leurs travaux d'apprentissage automatique sur Agora.
organisations-list-lead = Les instituts statistiques et organismes internationaux participants.
organisations-column-organisation = Organisation
organisations-column-short-name = Sigle
organisations-column-kind = Type
organisations-column-country = Pays
organisations-kind-national-statistical-office = Institut national de statistique
organisations-kind-international = Organisation internationale
organisations-kind-other = Autre organisme

## /organisations/{slug}

organisations-show-description = { $name } : ses projets et modèles d'apprentissage automatique partagés sur Agora.
organisations-projects-heading = Projets
organisations-projects-empty = Aucun projet visible pour vous.
organisations-models-heading = Modèles
organisations-models-empty = Aucune fiche de modèle visible pour vous.
organisations-models-version = version { $version }
organisations-agents-heading = Agents
organisations-agents-shown-to = Visible des référents de cette organisation et des administrateurs du hub.
organisations-agents-none-before-command = Aucun agent n'est enregistré. Créez-en un avec
organisations-agents-none-after-command = .
organisations-agent-last-seen = Dernier contact
organisations-agent-never-seen = jamais
organisations-agent-version = Version
organisations-agent-capabilities = Capacités
organisations-health-revoked = Révoqué
organisations-health-never-connected = Jamais connecté
organisations-health-online = En ligne
organisations-health-quiet = En veille
organisations-health-silent = Silencieux
organisations-sources-caption = Dernier inventaire de chaque source
organisations-sources-source = Source
organisations-sources-listing = Inventaire
organisations-sources-items = Éléments
organisations-sources-refused = Refusés
organisations-problems-summary = Éléments refusés et avertis de
organisations-problems-item = Élément
organisations-problems-what = Quoi
organisations-problems-field = Champ
organisations-problems-reason = Raison
organisations-problems-refused = refusé
organisations-problems-warned = avertissement
organisations-listing-complete = terminé, { $moment }
organisations-listing-in-progress = en cours depuis le { $moment }
organisations-listing-counts = { $added ->
    [one] { $added } ajouté
   *[other] { $added } ajoutés
}, { $updated } mis à jour, { $unchanged ->
    [one] { $unchanged } inchangé
   *[other] { $unchanged } inchangés
}, { $withdrawn ->
    [one] { $withdrawn } retiré
   *[other] { $withdrawn } retirés
}
organisations-workstreams-heading = Chantiers
organisations-workstreams-empty = Membre d'aucun chantier visible pour vous.

## /workstreams

workstreams-list-description = Les chantiers dans lesquels les instituts statistiques mènent ensemble l'apprentissage automatique du pilote à la production.
workstreams-list-lead = Des groupes où les instituts travaillent ensemble, chacun avec un objectif, des responsables et des organisations membres.
workstreams-list-empty = Aucun chantier ne vous est encore visible.
workstreams-project-count = { $count ->
    [one] { $count } projet
   *[other] { $count } projets
}
workstreams-status-proposed = Proposé
workstreams-status-active = Actif
workstreams-status-paused = En pause
workstreams-status-closed = Clos

## /workstreams/{slug}

workstreams-show-description = { $code } { $title } : { $goal }
workstreams-kind = Chantier { $code }
workstreams-subscribe = S'abonner à son récapitulatif
workstreams-goal-heading = Objectif
workstreams-projects-heading = Projets par étape du parcours
workstreams-projects-empty = Aucun projet visible pour vous n'appartient encore à ce chantier.
workstreams-activity-heading = Activité récente
workstreams-all-activity = Toute l'activité de { $code }
workstreams-who-takes-part = Qui y participe
workstreams-leads-heading = Responsables
workstreams-leads-empty = Aucun responsable désigné.
workstreams-organisations-heading = Organisations membres
workstreams-organisations-empty = Aucune pour l'instant.
workstreams-people-heading = Personnes
workstreams-people-empty = Aucun membre individuel.

## Les formulaires de modification

edit-title-error = Erreur : { $heading }
edit-heading = Modifier « { $title } »
edit-errors-heading = Les modifications n'ont pas été enregistrées
edit-field-error = { $field } : { $error }
edit-error-label = Erreur :
edit-required = (obligatoire)
edit-save = Enregistrer les modifications
edit-cancel = Annuler
edit-sync-its-source = sa source
edit-field-title = Titre
edit-field-summary = Résumé
edit-field-task = Tâche d'apprentissage automatique
edit-field-languages = Langues
edit-field-text-language = Langue de ce texte
edit-field-text-language-hint = La langue dans laquelle le titre, le résumé et le texte ci-dessus sont écrits, sous forme de code comme en, fr ou es (anglais si vide) ; les pages affichent le texte tel qu'il est écrit, sans le traduire.
edit-field-tags = Mots-clés
edit-field-tags-hint = Séparés par des virgules.
edit-field-visibility = Qui peut le voir

## /projects/{slug}/edit

edit-project-description = Modifier le projet « { $title } ».
edit-project-intro = Les modifications sont consignées dans l'activité du projet et parviennent aux récapitulatifs des chantiers.
edit-project-sync-note = Ce projet est synchronisé depuis { $source } : les modifications faites ici seront remplacées à la prochaine synchronisation, sauf si elles sont aussi faites à la source.
edit-project-title-hint = Un nom court, facile à reconnaître.
edit-project-summary-hint = Ce que fait le projet et pourquoi. Le Markdown est accepté.
edit-project-stage = Étape du parcours
edit-project-gsbpm = Sous-processus du GSBPM
edit-project-gsbpm-hint = Par exemple 5.2 (classer et coder).
edit-project-domain = Domaine statistique
edit-project-domain-hint = Par exemple marché du travail ou prix.
edit-project-organisations = Organisations
edit-project-organisations-hint = Identifiants, séparés par des virgules ; la première pilote le projet. L'une d'elles doit être la vôtre.
edit-project-workstreams = Chantiers
edit-project-workstreams-hint = Les chantiers auxquels le projet contribue.
edit-project-languages-hint = Codes de langue, séparés par des virgules, par exemple fr, en.
edit-project-repositories = Dépôts
edit-project-repositories-hint = Une adresse web par ligne.
edit-project-data-sources = Sources de données
edit-project-data-sources-hint = Une par ligne (noms seulement : les données restent chez vous).
edit-project-keep-own-organisation = doit conserver l'une de vos organisations

## /models/{organisation}/{name}/edit

edit-model-description = Modifier la fiche du modèle « { $title } ».
edit-model-intro = Les modifications sont consignées dans l'activité du modèle. Les versions et les résultats d'évaluation proviennent du registre et ne se modifient pas ici.
edit-model-sync-note = Cette fiche est synchronisée depuis { $source } : les modifications faites ici seront remplacées à la prochaine synchronisation, sauf si elles sont aussi faites à la source.
edit-model-title-hint = Un nom lisible, par exemple « Codeur d'activité NACE ».
edit-model-summary-hint = Une ou deux phrases sur ce que fait le modèle.
edit-model-body = Fiche du modèle
edit-model-body-hint = Le texte de la fiche. Le Markdown est accepté ; il est affiché après nettoyage.
edit-model-intended-use = Usage prévu
edit-model-training-data = Données d'entraînement
edit-model-limitations = Limites
edit-model-ethical-considerations = Considérations éthiques
edit-model-framework = Bibliothèque
edit-model-framework-hint = Par exemple fasttext, scikit-learn ou transformers.
edit-model-licence = Licence
edit-model-licence-hint = Un identifiant SPDX, par exemple mit ou apache-2.0.
edit-model-project = Projet
edit-model-project-hint = L'identifiant du projet auquel appartient le modèle.
edit-model-languages-hint = Codes de langue, séparés par des virgules.
edit-model-datasets = Jeux de données
edit-model-datasets-hint = Un nom par ligne (noms seulement : les données restent chez vous).
organisations-person-lead = Responsable de { $workstream }
organisations-person-member = Membre de { $workstream }
organisations-people-heading = Personnes
organisations-people-empty = Aucune de ses personnes n’a rejoint un chantier que vous pouvez voir.
organisations-benchmarks-heading = Bancs d’essai auxquels elle participe
organisations-benchmarks-empty = Elle ne participe à aucun banc d’essai que vous pouvez voir.
organisations-activity-heading = Activité récente
organisations-activity-all = Toute son activité
edit-preview = Aperçu
edit-preview-heading = Aperçu
edit-preview-help = Le texte tel que sa page l’affichera. Rien n’est enregistré avant que vous appuyiez sur « Enregistrer les modifications ».
