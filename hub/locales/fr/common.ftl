# Partagé par toutes les pages : gabarit, navigation, pagination, libellés et pages d'erreur.

skip-to-content = Aller au contenu
nav-main = Principale
nav-projects = Projets
nav-models = Modèles
nav-workstreams = Chantiers
nav-organisations = Organisations
nav-benchmarks = Bancs d'essai
nav-activity = Activité
nav-search = Recherche
nav-your-account = (votre compte)
nav-sign-in = Se connecter
footer-tagline = Agora — l'apprentissage automatique partagé entre les statistiques publiques. Les données restent dans chaque institut ; seules les métadonnées circulent.
footer-api = API
language-switcher = Langue
count-items = { $count ->
    [one] { $count } élément
   *[other] { $count } éléments
}

pager-pages = Pages
pager-previous = Précédente
pager-next = Suivante
pager-page = { " " }page

activity-empty = Rien ne s'est encore passé ici que vous puissiez voir.
stage-counts-label = Projets de { $code } par étape du parcours

stage-idea = Idée
stage-pilot = Pilote
stage-validated = Validé
stage-production = Production
stage-maintenance = Maintenance

task-coding = Codification
task-classification = Classification
task-regression = Régression
task-imputation = Imputation
task-editing = Contrôle et correction
task-nowcasting = Prévision immédiate
task-forecasting = Prévision
task-record-linkage = Appariement
task-imagery = Imagerie
task-text-extraction = Extraction de texte
task-anomaly-detection = Détection d'anomalies
task-web-scraping = Collecte sur le web
task-other = Autre

visibility-public = Public
visibility-members = Membres du hub
visibility-organisation = Son organisation seulement

subject-project = Projet
subject-model = Modèle
subject-model-version = Version
subject-workstream = Chantier
subject-organisation = Organisation
subject-membership = Membres
subject-assessment = Évaluation
subject-benchmark = Banc d'essai
subject-change = Modification

provenance = Provenance
provenance-origin = Origine
provenance-agent = Agent
provenance-source = Source
provenance-commit = Commit
provenance-last-sync = Dernière synchronisation
provenance-listed-since = Référencé depuis
provenance-last-change = Dernière modification
provenance-withdrawn = Sa source ne le référence plus : il est conservé ici mais exclu de la recherche.

error-status = Erreur { $status }
error-where-next = Où aller maintenant
error-not-found = Page introuvable
error-not-found-member = Il n'y a rien ici que vous puissiez voir. La page a peut-être été renommée ou supprimée, ou elle appartient à une autre organisation.
error-not-found-visitor = Il n'y a rien ici que vous puissiez voir. La page a peut-être été renommée ou supprimée, ou n'est visible que des membres connectés : se connecter pourrait l'afficher.
error-search-for = Rechercher « { $words } »
error-browse-projects = Parcourir les projets
error-browse-models = Parcourir les modèles
error-browse-workstreams = Parcourir les chantiers
error-forbidden = Non autorisé
error-forbidden-signed-in-as = Vous êtes connecté en tant que { $name }.
error-forbidden-explain = Seules les personnes des organisations propriétaires d'un élément, leurs référents et les administrateurs du hub peuvent le modifier ; adressez-vous à l'un d'eux.
error-your-account = Votre compte et vos rôles
error-server = Une erreur s'est produite
error-server-explain = Le hub n'a pas pu répondre à cette demande. L'erreur a été journalisée ; réessayez dans un instant et prévenez les administrateurs du hub si elle persiste.
error-other = Cette demande n'a pas pu aboutir
error-sign-in = Se connecter
error-home = Accueil
error-detail = Détail (en anglais) : { $detail }
