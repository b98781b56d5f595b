# Inicio de sesión, la página de la cuenta, las preferencias de resúmenes y la baja.

## Inicio de sesión (auth/login.html)
signin-description = Inicie sesión en Agora para compartir los proyectos, fichas de modelos y evaluaciones de su oficina con otras oficinas de estadística.
signin-title = Iniciar sesión
signin-signed-in-as = Ha iniciado sesión como
signin-your-account = Su cuenta
signin-no-provider-before = No hay ningún proveedor de identidad configurado en este hub. Un administrador añade uno en
signin-no-provider-after = en la configuración del hub.
signin-with = Iniciar sesión con { $provider }
signin-dev-heading = Inicio de sesión de desarrollo
signin-dev-note-before = Este hub se ejecuta con
signin-dev-note-after = : cualquiera que pueda acceder a él puede iniciar sesión como cualquiera de las personas siguientes, sin contraseña. Solo se acepta en una dirección de bucle local, para probar el hub en su propia máquina.
signin-dev-as = Iniciar sesión como
signin-no-organisation = sin organización
signin-dev-submit = Iniciar sesión

## Errores de las páginas de inicio de sesión, de la cuenta y de los resúmenes (auth/error.html)
signin-error-sign-in = Iniciar sesión
signin-error-home = Inicio
signin-error-server = Algo salió mal
signin-error-server-message = Algo salió mal en el hub; se ha registrado.
signin-error-unauthorized = Hay que iniciar sesión
signin-error-forbidden = No permitido
signin-error-not-found = No encontrado
signin-error-failed = No se pudo iniciar sesión

## Cuenta (auth/account.html)
account-description = Su cuenta, sus funciones y sus tokens personales de API.
account-title = Su cuenta
account-sign-out = Cerrar sesión
account-email = Correo electrónico
account-organisation = Organización
account-no-organisation = ninguna
account-roles = Funciones
account-role-admin = Administrador del hub
account-role-steward = Responsable de { $organisation }
account-role-lead = Líder de { $workstream }
account-role-member = Miembro
account-email-language = Idioma de los correos
account-digests-link = Resúmenes por correo electrónico
account-digests-after-link = : elija las líneas de trabajo que sigue por correo electrónico.
account-tokens-heading = Tokens personales de API
account-tokens-intro-before = Los scripts envían un token como
account-tokens-intro-after = . Un token actúa con sus derechos; revóquelo cuando ya no lo necesite.
account-new-token = Su nuevo token (se muestra una sola vez; cópielo ahora):
account-no-tokens = No tiene ningún token.
account-token-name = Nombre
account-token-token = Token
account-token-created = Creado
account-token-last-used = Último uso
account-token-expires = Caduca
account-token-revoked = revocado
account-token-revoke = Revocar
account-token-new-label = Nombre del nuevo token
account-token-new-placeholder = script de sincronización nocturna
account-token-create = Crear
account-never = nunca

## Preferencias de resúmenes (digest/preferences.html)
digest-prefs-description = Elija las líneas de trabajo que sigue por correo electrónico.
digest-prefs-title = Resúmenes por correo electrónico
digest-prefs-intro = Un resumen le cuenta lo que ha pasado en una línea de trabajo: proyectos nuevos y modificados, modelos nuevos, evaluaciones, resultados de pruebas comparativas, miembros nuevos. Solo incluye lo que usted puede ver, y no se envía nada cuando no ha pasado nada.
digest-prefs-not-saved = No se guardaron sus elecciones
digest-prefs-confirm-before = Para seguir
digest-prefs-confirm-middle = , compruebe su frecuencia abajo y pulse
digest-prefs-save = Guardar
digest-prefs-workstream = Línea de trabajo
digest-prefs-digest = Resumen
digest-frequency-off = Ninguno
digest-frequency-daily = Diario
digest-frequency-weekly = Semanal
digest-prefs-time-zone = Zona horaria
digest-prefs-time-zone-help = Los días terminan a medianoche y las semanas el domingo por la noche en esta zona horaria, por ejemplo Europe/Madrid.
digest-prefs-language = Idioma de los correos
digest-prefs-pause = Pausar todos los resúmenes
digest-prefs-saved = Sus elecciones de resúmenes se han guardado.

## Baja por el enlace de un resumen (digest/unsubscribe.html)
digest-unsubscribe-description = Dejar de recibir el resumen de una línea de trabajo.
digest-unsubscribe-title = Darse de baja
digest-unsubscribed-heading = Se ha dado de baja
digest-unsubscribed-no-longer = Ya no recibirá el resumen de
digest-unsubscribed-changed-mind-before = ¿Ha cambiado de opinión? Elija sus resúmenes en
digest-unsubscribed-changed-mind-link = su página de resúmenes
digest-unsubscribed-changed-mind-after = después de iniciar sesión.
digest-unsubscribe-heading = ¿Darse de baja de { $workstream }?
digest-unsubscribe-no-longer = Ya no recibirá los resúmenes por correo electrónico de
digest-unsubscribe-others-kept = . Sus otros resúmenes no cambian.
digest-unsubscribe-button = Darse de baja
