# Connexion, page du compte, préférences des récapitulatifs et désabonnement.

## Connexion (auth/login.html)
signin-description = Connectez-vous à Agora pour partager les projets, fiches de modèles et évaluations de votre institut avec les autres instituts statistiques.
signin-title = Se connecter
signin-signed-in-as = Vous êtes connecté en tant que
signin-your-account = Votre compte
signin-no-provider-before = Aucun fournisseur d'identité n'est configuré sur ce hub. Un administrateur en ajoute un sous
signin-no-provider-after = dans la configuration du hub.
signin-with = Se connecter avec { $provider }
signin-dev-heading = Connexion de développement
signin-dev-note-before = Ce hub est lancé avec
signin-dev-note-after =  : toute personne qui peut l'atteindre peut se connecter sous l'identité de n'importe quelle personne ci-dessous, sans mot de passe. Ce mode n'est accepté que sur une adresse de bouclage, pour essayer le hub sur votre propre machine.
signin-dev-as = Se connecter en tant que
signin-no-organisation = aucune organisation
signin-dev-submit = Se connecter

## Erreurs des pages de connexion, du compte et des récapitulatifs (auth/error.html)
signin-error-sign-in = Se connecter
signin-error-home = Accueil
signin-error-server = Une erreur s'est produite
signin-error-server-message = Une erreur s'est produite sur le hub ; elle a été journalisée.
signin-error-unauthorized = Connexion nécessaire
signin-error-forbidden = Action non autorisée
signin-error-not-found = Introuvable
signin-error-failed = Échec de la connexion

## Compte (auth/account.html)
account-description = Votre compte, vos rôles et vos jetons d'API personnels.
account-title = Votre compte
account-sign-out = Se déconnecter
account-email = Courriel
account-organisation = Organisation
account-no-organisation = aucune
account-roles = Rôles
account-role-admin = Administrateur du hub
account-role-steward = Responsable de { $organisation }
account-role-lead = Pilote de { $workstream }
account-role-member = Membre
account-email-language = Langue des courriels
account-digests-link = Récapitulatifs par courriel
account-digests-after-link =  : choisissez les chantiers que vous suivez par courriel.
account-tokens-heading = Jetons d'API personnels
account-tokens-intro-before = Les scripts envoient un jeton sous la forme
account-tokens-intro-after = . Un jeton agit avec vos droits ; révoquez-le lorsqu'il n'est plus utile.
account-new-token = Votre nouveau jeton (affiché une seule fois ; copiez-le maintenant) :
account-no-tokens = Vous n'avez aucun jeton.
account-token-name = Nom
account-token-token = Jeton
account-token-created = Créé le
account-token-last-used = Dernière utilisation
account-token-expires = Expire le
account-token-revoked = révoqué
account-token-revoke = Révoquer
account-token-new-label = Nom du nouveau jeton
account-token-new-placeholder = script de synchronisation nocturne
account-token-create = Créer
account-never = jamais

## Préférences des récapitulatifs (digest/preferences.html)
digest-prefs-description = Choisissez les chantiers que vous suivez par courriel.
digest-prefs-title = Récapitulatifs par courriel
digest-prefs-intro = Un récapitulatif vous dit ce qui s'est passé dans un chantier : projets nouveaux et modifiés, nouveaux modèles, évaluations, résultats de bancs d'essai, nouveaux membres. Il ne contient que ce que vous pouvez voir, et rien n'est envoyé quand rien ne s'est passé.
digest-prefs-not-saved = Vos choix n'ont pas été enregistrés
digest-prefs-confirm-before = Pour suivre
digest-prefs-confirm-middle = , vérifiez sa fréquence ci-dessous et appuyez sur
digest-prefs-save = Enregistrer
digest-prefs-workstream = Chantier
digest-prefs-digest = Récapitulatif
digest-frequency-off = Aucun
digest-frequency-daily = Quotidien
digest-frequency-weekly = Hebdomadaire
digest-prefs-time-zone = Fuseau horaire
digest-prefs-time-zone-help = Les jours se terminent à minuit et les semaines le dimanche soir dans ce fuseau horaire, par exemple Europe/Paris.
digest-prefs-language = Langue des courriels
digest-prefs-pause = Suspendre tous les récapitulatifs
digest-prefs-saved = Vos choix de récapitulatifs sont enregistrés.

## Désabonnement par le lien d'un récapitulatif (digest/unsubscribe.html)
digest-unsubscribe-description = Ne plus recevoir le récapitulatif d'un chantier.
digest-unsubscribe-title = Se désabonner
digest-unsubscribed-heading = Vous êtes désabonné
digest-unsubscribed-no-longer = Vous ne recevrez plus le récapitulatif de
digest-unsubscribed-changed-mind-before = Vous avez changé d'avis ? Choisissez vos récapitulatifs sur
digest-unsubscribed-changed-mind-link = votre page des récapitulatifs
digest-unsubscribed-changed-mind-after = après vous être connecté.
digest-unsubscribe-heading = Se désabonner de { $workstream } ?
digest-unsubscribe-no-longer = Vous ne recevrez plus les récapitulatifs par courriel de
digest-unsubscribe-others-kept = . Vos autres récapitulatifs ne changent pas.
digest-unsubscribe-button = Se désabonner
