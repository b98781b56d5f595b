# Compartido por todas las páginas: plantilla, navegación, paginación, etiquetas y errores.

skip-to-content = Ir al contenido
nav-main = Principal
nav-projects = Proyectos
nav-models = Modelos
nav-workstreams = Líneas de trabajo
nav-organisations = Organizaciones
nav-benchmarks = Bancos de pruebas
nav-activity = Actividad
nav-search = Búsqueda
nav-your-account = (su cuenta)
nav-sign-in = Iniciar sesión
footer-tagline = Agora — aprendizaje automático compartido entre las estadísticas oficiales. Los datos se quedan en cada oficina; solo viajan los metadatos.
footer-api = API
language-switcher = Idioma
count-items = { $count ->
    [one] { $count } elemento
   *[other] { $count } elementos
}

pager-pages = Páginas
pager-previous = Anterior
pager-next = Siguiente
pager-page = { " " }página

activity-empty = Aún no ha ocurrido aquí nada que usted pueda ver.
stage-counts-label = Proyectos de { $code } por etapa del recorrido

stage-idea = Idea
stage-pilot = Piloto
stage-validated = Validado
stage-production = Producción
stage-maintenance = Mantenimiento

task-coding = Codificación
task-classification = Clasificación
task-regression = Regresión
task-imputation = Imputación
task-editing = Depuración
task-nowcasting = Predicción inmediata
task-forecasting = Predicción
task-record-linkage = Enlace de registros
task-imagery = Imágenes
task-text-extraction = Extracción de texto
task-anomaly-detection = Detección de anomalías
task-web-scraping = Extracción web
task-other = Otra

visibility-public = Pública
visibility-members = Miembros del hub
visibility-organisation = Solo su organización

subject-project = Proyecto
subject-model = Modelo
subject-model-version = Versión
subject-workstream = Línea de trabajo
subject-organisation = Organización
subject-membership = Miembros
subject-assessment = Evaluación
subject-benchmark = Banco de pruebas
subject-change = Cambio

provenance = Procedencia
provenance-origin = Origen
provenance-agent = Agente
provenance-source = Fuente
provenance-commit = Commit
provenance-last-sync = Última sincronización
provenance-listed-since = Listado desde
provenance-last-change = Último cambio
provenance-withdrawn = Su fuente ya no lo incluye: se conserva aquí pero queda fuera de la búsqueda.

error-status = Error { $status }
error-where-next = Adónde ir ahora
error-not-found = Página no encontrada
error-not-found-member = Aquí no hay nada que usted pueda ver. Puede haber cambiado de nombre o haberse eliminado, o pertenece a otra organización.
error-not-found-visitor = Aquí no hay nada que usted pueda ver. Puede haber cambiado de nombre o haberse eliminado, o ser visible solo para miembros con sesión iniciada: iniciar sesión podría mostrarlo.
error-search-for = Buscar «{ $words }»
error-browse-projects = Ver los proyectos
error-browse-models = Ver los modelos
error-browse-workstreams = Ver las líneas de trabajo
error-forbidden = No permitido
error-forbidden-signed-in-as = Ha iniciado sesión como { $name }.
error-forbidden-explain = Solo las personas de las organizaciones propietarias de un elemento, sus responsables y los administradores del hub pueden modificarlo; pida a uno de ellos.
error-your-account = Su cuenta y sus funciones
error-server = Algo salió mal
error-server-explain = El hub no pudo responder a esta solicitud. El error se ha registrado; vuelva a intentarlo en un momento y avise a los administradores del hub si persiste.
error-other = No se pudo atender la solicitud
error-sign-in = Iniciar sesión
error-home = Inicio
error-detail = Detalle (en inglés): { $detail }
