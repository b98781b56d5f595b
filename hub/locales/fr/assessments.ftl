# Évaluations QF4SA et éthiques : pages de consultation, formulaire, historique, impression et comparaison.

## Le Cadre de qualité pour les algorithmes statistiques (QF4SA)

qf4sa-dimension-explainability = Explicabilité
qf4sa-dimension-accuracy = Précision
qf4sa-dimension-reproducibility = Reproductibilité
qf4sa-dimension-timeliness = Actualité
qf4sa-dimension-cost-effectiveness = Rentabilité
qf4sa-question-explainability = La méthode et ses résultats peuvent-ils être expliqués aux utilisateurs et aux producteurs ?
qf4sa-question-accuracy = Dans quelle mesure les résultats sont-ils proches des valeurs vraies, et comment cela a-t-il été mesuré ?
qf4sa-question-reproducibility = Les résultats peuvent-ils être obtenus de nouveau à partir des mêmes données d'entrée ?
qf4sa-question-timeliness = Les résultats sont-ils disponibles quand on en a besoin, et plus rapidement qu'auparavant ?
qf4sa-question-cost-effectiveness = Les gains l'emportent-ils sur les coûts de développement et d'exploitation ?
qf4sa-level-insufficient = Insuffisant
qf4sa-level-basic = Élémentaire
qf4sa-level-adequate = Adéquat
qf4sa-level-good = Bon
qf4sa-level-exemplary = Exemplaire
qf4sa-level-not-given = non renseigné
qf4sa-levels-help = Niveaux : 1 insuffisant (non traité, ou lacunes graves), 2 élémentaire (traité de manière informelle, des lacunes subsistent), 3 adéquat (répond aux exigences d'une utilisation en production), 4 bon (documenté, testé et reproductible), 5 exemplaire (bonnes pratiques, vérifié de manière indépendante).
# La description du graphique radar, une dimension : « Précision 4 sur 5 (Bon) ».
qf4sa-radar-level = { $dimension } { $level } sur 5 ({ $name })
qf4sa-radar-separator = { "\u00A0; " }
qf4sa-radar-differs-mark = ≠
qf4sa-radar-title = Niveaux QF4SA de { $subject }

## L'auto-évaluation éthique de l'UK Statistics Authority

ethics-principle-public-good = Bien public
ethics-principle-confidentiality = Confidentialité et sécurité des données
ethics-principle-methods-quality = Méthodes et qualité
ethics-principle-legal-compliance = Conformité juridique
ethics-principle-public-views = Avis et participation du public
ethics-principle-transparency = Transparence
ethics-risk-low = faible
ethics-risk-medium = moyen
ethics-risk-high = élevé

## Types, états et examens

assessment-kind-qf4sa = Évaluation QF4SA
assessment-kind-ethics = Auto-évaluation éthique
# Le titre d'une page : « Évaluation QF4SA de Projet metrics ». $kind vaut qf4sa ou ethics.
assessment-title = { $kind ->
    [ethics] Auto-évaluation éthique
   *[qf4sa] Évaluation QF4SA
} de { $subject }
assessment-print-title = { $kind ->
    [ethics] Auto-évaluation éthique
   *[qf4sa] Évaluation QF4SA
} de { $subject } (version imprimable)
assessment-state-draft = Brouillon
assessment-state-submitted = Soumise pour examen
assessment-state-reviewed = Examinée
assessment-decision-accepted = Acceptée
assessment-decision-changes-requested = Modifications demandées
assessment-standing-other = d'une autre organisation
assessment-standing-lead = responsable du chantier { $workstream }
assessment-version = version { $version }
assessment-version-updated = version { $version } · mise à jour le { $updated }
assessment-source-synced-commit = synchronisée par { $agent } depuis { $source } au commit { $commit }
assessment-source-synced = synchronisée par { $agent } depuis { $source }
assessment-source-hub = saisie sur le hub

## La liste des évaluations d'un sujet

assessment-list-empty = Aucune évaluation pour l'instant.
assessment-stale-newer = Obsolète : une version plus récente existe
assessment-card-meta = { $subject } · version { $version } · mise à jour le { $updated }

## Les pages de consultation et d'impression

assessment-view-description = Une évaluation de la qualité selon le QF4SA ou une auto-évaluation éthique, ses niveaux et ses examens.
assessment-stale-warning = Obsolète : cette évaluation porte sur une version antérieure du modèle ; sa version la plus récente est la { $version }.
assessment-stale-label = Obsolète :
assessment-stale-print = la version la plus récente du modèle est la { $version }.
assessment-withdrawn = Retirée : sa source ne la répertorie plus.
assessment-actions = Évaluation
assessment-history = Historique
assessment-print = Imprimer
assessment-export = Exporter en JSON
assessment-edit = Modifier (nouvelle version)
assessment-radar-caption = Niveaux QF4SA, de 1 (centre) à 5 (bord). Le tableau ci-dessous donne chaque niveau avec ses éléments probants.
assessment-dimensions-caption = Dimensions du QF4SA, niveaux de 1 (insuffisant) à 5 (exemplaire)
assessment-principles-caption = Principes éthiques de l'auto-évaluation de l'UK Statistics Authority
assessment-dimension = Dimension
assessment-principle = Principe
assessment-level = Niveau
assessment-evidence = Éléments probants
assessment-answer = Réponse
assessment-risk = Risque
assessment-mitigation = Atténuation
assessment-summary = Synthèse
assessment-submit-hint = Une fois l'évaluation terminée, soumettez-la : une personne d'une autre organisation, ou un responsable de l'un de ses chantiers, l'examinera.
assessment-submit = Soumettre la version { $version } pour examen
assessment-review-heading = Examiner la version { $version }
assessment-decision = Décision
assessment-accept = Accepter : l'évaluation devient examinée
assessment-request-changes = Demander des modifications : elle redevient un brouillon
assessment-comments = Commentaires
assessment-record-review = Enregistrer l'examen
assessment-review-choose = choisissez : accepter, ou demander des modifications
assessment-reviews = Examens
assessment-not-reviewed = Pas encore examinée.
assessment-sign-in-to-review = Connectez-vous pour l'examiner.
# Après la décision : « (version 2) par Claire (insee), d'une autre organisation, 1 déc. 2026, 14:05 UTC ».
assessment-review-by = (version { $version }) par { $reviewer }, { $standing }, { $at }
assessment-back = Retour à l'évaluation

## Le formulaire

assessment-form-description = Rédiger ou modifier une évaluation de la qualité selon le QF4SA ou une évaluation éthique.
assessment-new-project = { $kind ->
    [ethics] Nouvelle auto-évaluation éthique
   *[qf4sa] Nouvelle évaluation QF4SA
} du projet { $project }
assessment-new-model = { $kind ->
    [ethics] Nouvelle auto-évaluation éthique
   *[qf4sa] Nouvelle évaluation QF4SA
} de { $model } version { $version }
assessment-edit-heading = { $kind ->
    [ethics] Modifier l'auto-évaluation éthique
   *[qf4sa] Modifier l'évaluation QF4SA
} de { $subject }
assessment-edit-heading-now = { $kind ->
    [ethics] Modifier l'auto-évaluation éthique
   *[qf4sa] Modifier l'évaluation QF4SA
} de { $subject } (actuellement version { $version })
assessment-form-problems = { $count ->
    [one] { $count } problème à corriger
   *[other] { $count } problèmes à corriger
}
assessment-form-problems-hint = Chacun est signalé à côté de son champ.
assessment-choose-level = Choisir un niveau
assessment-links = Liens
assessment-links-help = (une adresse http ou https par ligne)
assessment-optional = (facultatif)
assessment-choose-risk = Choisir un niveau de risque
assessment-mitigation-help = (obligatoire lorsque le risque est moyen ou élevé)
assessment-note = Ce que change cette version
assessment-note-help = (facultatif, affiché dans l'historique)
assessment-save = Enregistrer
assessment-cancel = Annuler
assessment-error-choose-level = choisissez un niveau de 1 à 5
assessment-error-choose-risk = choisissez un niveau de risque
assessment-error-empty = ne doit pas être vide
assessment-error-too-long = ne doit pas dépasser { $max } caractères
assessment-error-too-many = ne doit pas compter plus de { $max } entrées
assessment-error-repeated = figure en double
assessment-error-mitigation-required = est obligatoire lorsque le risque est moyen ou élevé
assessment-error-level = le niveau doit être un nombre entier de 1 à 5 (valeur reçue : { $value })
assessment-error-not-url = « { $value } » n'est pas une URL
assessment-error-not-allowed-create = vous ne pouvez pas évaluer le travail d'une autre organisation : ce sont ses propres équipes qui rédigent ses évaluations
assessment-error-not-allowed-edit = vous ne pouvez pas modifier l'évaluation d'une autre organisation

## La page d'historique

assessment-history-description = Les versions d'une évaluation et ce qui a changé de l'une à l'autre.
assessment-history-title = Historique de { $kind ->
    [ethics] l'auto-évaluation éthique
   *[qf4sa] l'évaluation QF4SA
} de { $subject }
assessment-versions-caption = Versions, de la plus récente à la plus ancienne
assessment-col-version = Version
assessment-col-when = Date
assessment-col-by = Auteur
assessment-col-note = Note
assessment-col-changes = Modifications
assessment-current = (actuelle)
assessment-compare-with = comparer avec la { $version }
assessment-first-version = première version
assessment-diff-heading = De la version { $from } à la version { $to }
assessment-diff-from = De
assessment-diff-to = à
assessment-diff-compare = Comparer
assessment-no-differences = Aucune différence.
assessment-changes-to = Modifications de « { $field } »
assessment-diff-removed = supprimé :
assessment-diff-added = ajouté :
# Un champ du différentiel de l'historique : « Précision : niveau ».
assessment-diff-field = { $name } : { $part }
assessment-diff-part-level = niveau
assessment-diff-part-evidence = éléments probants
assessment-diff-part-links = liens
assessment-diff-part-answer = réponse
assessment-diff-part-risk = risque
assessment-diff-part-mitigation = atténuation

## La page de comparaison

assessment-compare-description = Comparaison côte à côte des évaluations de la qualité QF4SA de plusieurs modèles.
assessment-compare-title = Comparaison d'évaluations QF4SA
assessment-compare-missing = Aucune évaluation QF4SA que vous pouvez consulter pour : { $names }.
assessment-compare-how = Rien à comparer pour l’instant : choisissez un modèle ci-dessous, puis un autre.
assessment-compare-radar-title = Niveaux QF4SA des évaluations comparées
assessment-compare-legend = Évaluations comparées
assessment-compare-differs-help = Un critère marqué ≠ a des niveaux différents ; sa ligne est aussi marquée ci-dessous.
assessment-compare-add = Ajouter un modèle
assessment-compare-add-help = Son organisation et son nom, par exemple insee/naf-coder ; la liste propose chaque modèle ayant une évaluation QF4SA.
assessment-compare-add-button = Ajouter à la comparaison
assessment-compare-caption = Niveaux (1 à 5) et éléments probants, une colonne par évaluation
assessment-compare-differs = diffère
assessment-stale = Obsolète
