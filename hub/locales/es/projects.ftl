# Proyectos, organizaciones, líneas de trabajo y formularios de edición.

## Compartido por las páginas de este ámbito

projects-breadcrumb = Ruta de navegación

## /projects

projects-list-description = Estudios piloto y sistemas en producción de aprendizaje automático en las estadísticas oficiales, por etapa del recorrido, tarea y organización.
projects-list-lead = Estudios piloto y sistemas en producción, desde la primera idea hasta el mantenimiento.
projects-filters = Filtrar proyectos
projects-filter-stage = Etapa del recorrido
projects-filter-any-stage = Cualquier etapa
projects-filter-task = Tarea
projects-filter-any-task = Cualquier tarea
projects-filter-workstream = Línea de trabajo
projects-filter-any-workstream = Cualquier línea de trabajo
projects-filter-organisation = Organización
projects-filter-any-organisation = Cualquier organización
projects-filter-submit = Filtrar
projects-filter-clear = Quitar los filtros
projects-list-none = Ningún proyecto
projects-list-count = { $count ->
    [one] { $count } proyecto
   *[other] { $count } proyectos
}
projects-list-range = { $count ->
    [one] { $count } proyecto, { $first }–{ $last } mostrado
   *[other] { $count } proyectos, { $first }–{ $last } mostrados
}
projects-list-empty = Ningún proyecto visible para usted coincide con estos filtros.
projects-row-updated = actualizado el { $date }

## /projects/{slug}

projects-show-description = { $title }: { $summary }
projects-withdrawn = Retirado por su fuente
projects-edit = Editar el proyecto
projects-summary-heading = Resumen
projects-assessments-heading = Evaluaciones
projects-activity-heading = Actividad
projects-about = Acerca de este proyecto
projects-timeline-heading = Etapa del recorrido: { $stage }
projects-timeline-passed = (superada)
projects-timeline-current = (etapa actual)
projects-timeline-ahead = (pendiente)
projects-models-heading = Modelos
projects-models-empty = Ninguna ficha de modelo está vinculada a este proyecto.
projects-models-version = versión { $version }
projects-facts-heading = Acerca de
projects-facts-organisations = Organizaciones
projects-facts-workstreams = Líneas de trabajo
projects-facts-task = Tarea
projects-facts-gsbpm = GSBPM
projects-facts-domain = Ámbito
projects-facts-languages = Idiomas
projects-facts-data-sources = Fuentes de datos
projects-facts-repositories = Repositorios
projects-facts-none-listed = Ninguno indicado
projects-facts-contacts = Contactos
projects-facts-tags = Etiquetas

## /organisations

organisations-list-description = Las oficinas de estadística y los organismos internacionales que comparten su trabajo de aprendizaje automático en Agora.
organisations-list-lead = Oficinas de estadística y organismos internacionales participantes.
organisations-column-organisation = Organización
organisations-column-short-name = Sigla
organisations-column-kind = Tipo
organisations-column-country = País
organisations-kind-national-statistical-office = Oficina nacional de estadística
organisations-kind-international = Organización internacional
organisations-kind-other = Otro organismo

## /organisations/{slug}

organisations-show-description = { $name }: sus proyectos y modelos de aprendizaje automático compartidos en Agora.
organisations-projects-heading = Proyectos
organisations-projects-empty = Ningún proyecto visible para usted.
organisations-models-heading = Modelos
organisations-models-empty = Ninguna ficha de modelo visible para usted.
organisations-models-version = versión { $version }
organisations-agents-heading = Agentes
organisations-agents-shown-to = Visible para los responsables de esta organización y los administradores del hub.
organisations-agents-none-before-command = No hay ningún agente registrado. Cree uno con
organisations-agents-none-after-command = .
organisations-agent-last-seen = Último contacto
organisations-agent-never-seen = nunca
organisations-agent-version = Versión
organisations-agent-capabilities = Capacidades
organisations-health-revoked = Revocado
organisations-health-never-connected = Nunca conectado
organisations-health-online = En línea
organisations-health-quiet = En reposo
organisations-health-silent = Sin respuesta
organisations-sources-caption = Último inventario de cada fuente
organisations-sources-source = Fuente
organisations-sources-listing = Inventario
organisations-sources-items = Elementos
organisations-sources-refused = Rechazados
organisations-problems-summary = Elementos rechazados y con avisos de
organisations-problems-item = Elemento
organisations-problems-what = Qué
organisations-problems-field = Campo
organisations-problems-reason = Motivo
organisations-problems-refused = rechazado
organisations-problems-warned = aviso
organisations-listing-complete = completo, { $moment }
organisations-listing-in-progress = en curso desde el { $moment }
organisations-listing-counts = { $added ->
    [one] { $added } añadido
   *[other] { $added } añadidos
}, { $updated ->
    [one] { $updated } actualizado
   *[other] { $updated } actualizados
}, { $unchanged ->
    [one] { $unchanged } sin cambios
   *[other] { $unchanged } sin cambios
}, { $withdrawn ->
    [one] { $withdrawn } retirado
   *[other] { $withdrawn } retirados
}
organisations-workstreams-heading = Líneas de trabajo
organisations-workstreams-empty = No es miembro de ninguna línea de trabajo visible para usted.

## /workstreams

workstreams-list-description = Las líneas de trabajo en las que las oficinas de estadística llevan juntas el aprendizaje automático del piloto a la producción.
workstreams-list-lead = Grupos en los que las oficinas trabajan juntas, cada uno con un objetivo, responsables y organizaciones miembro.
workstreams-list-empty = Todavía no hay ninguna línea de trabajo visible para usted.
workstreams-project-count = { $count ->
    [one] { $count } proyecto
   *[other] { $count } proyectos
}
workstreams-status-proposed = Propuesta
workstreams-status-active = Activa
workstreams-status-paused = En pausa
workstreams-status-closed = Cerrada

## /workstreams/{slug}

workstreams-show-description = { $code } { $title }: { $goal }
workstreams-kind = Línea de trabajo { $code }
workstreams-subscribe = Suscribirse a su resumen
workstreams-goal-heading = Objetivo
workstreams-projects-heading = Proyectos por etapa del recorrido
workstreams-projects-empty = Todavía no hay en esta línea de trabajo ningún proyecto visible para usted.
workstreams-activity-heading = Actividad reciente
workstreams-all-activity = Toda la actividad de { $code }
workstreams-who-takes-part = Quién participa
workstreams-leads-heading = Responsables
workstreams-leads-empty = No se ha designado ningún responsable.
workstreams-organisations-heading = Organizaciones miembro
workstreams-organisations-empty = Ninguna todavía.
workstreams-people-heading = Personas
workstreams-people-empty = Ningún miembro individual.

## Los formularios de edición

edit-title-error = Error: { $heading }
edit-heading = Editar «{ $title }»
edit-errors-heading = No se guardaron los cambios
edit-field-error = { $field }: { $error }
edit-error-label = Error:
edit-required = (obligatorio)
edit-save = Guardar los cambios
edit-cancel = Cancelar
edit-sync-its-source = su fuente
edit-field-title = Título
edit-field-summary = Resumen
edit-field-task = Tarea de aprendizaje automático
edit-field-languages = Idiomas
edit-field-text-language = Idioma de este texto
edit-field-text-language-hint = El idioma en que están escritos el título, el resumen y el texto de arriba, como código, por ejemplo en, fr o es (inglés si se deja vacío); las páginas muestran el texto tal como está escrito, sin traducirlo.
edit-field-tags = Etiquetas
edit-field-tags-hint = Separadas por comas.
edit-field-visibility = Quién puede verlo

## /projects/{slug}/edit

edit-project-description = Editar el proyecto «{ $title }».
edit-project-intro = Los cambios quedan registrados en la actividad del proyecto y llegan a los resúmenes de las líneas de trabajo.
edit-project-sync-note = Este proyecto se sincroniza desde { $source }: los cambios hechos aquí se sustituirán en la próxima sincronización, salvo que también se hagan en la fuente.
edit-project-title-hint = Un nombre corto que la gente reconozca.
edit-project-summary-hint = Qué hace el proyecto y por qué. Se admite Markdown.
edit-project-stage = Etapa del recorrido
edit-project-gsbpm = Subproceso del GSBPM
edit-project-gsbpm-hint = Por ejemplo, 5.2 (clasificar y codificar).
edit-project-domain = Ámbito estadístico
edit-project-domain-hint = Por ejemplo, mercado laboral o precios.
edit-project-organisations = Organizaciones
edit-project-organisations-hint = Identificadores separados por comas; la primera dirige el proyecto. Una debe ser la suya.
edit-project-workstreams = Líneas de trabajo
edit-project-workstreams-hint = Las líneas de trabajo a las que sirve el proyecto.
edit-project-languages-hint = Códigos de idioma separados por comas, por ejemplo fr, en.
edit-project-repositories = Repositorios
edit-project-repositories-hint = Una dirección web por línea.
edit-project-data-sources = Fuentes de datos
edit-project-data-sources-hint = Una por línea (solo nombres: los datos se quedan en casa).
edit-project-keep-own-organisation = debe conservar una de sus organizaciones

## /models/{organisation}/{name}/edit

edit-model-description = Editar la ficha del modelo «{ $title }».
edit-model-intro = Los cambios quedan registrados en la actividad del modelo. Las versiones y los resultados de evaluación proceden del registro y no se editan aquí.
edit-model-sync-note = Esta ficha se sincroniza desde { $source }: los cambios hechos aquí se sustituirán en la próxima sincronización, salvo que también se hagan en la fuente.
edit-model-title-hint = Un nombre legible, como «Codificador de actividad NACE».
edit-model-summary-hint = Una o dos frases sobre lo que hace el modelo.
edit-model-body = Ficha del modelo
edit-model-body-hint = El texto de la ficha. Se admite Markdown; se muestra depurado.
edit-model-intended-use = Uso previsto
edit-model-training-data = Datos de entrenamiento
edit-model-limitations = Limitaciones
edit-model-ethical-considerations = Consideraciones éticas
edit-model-framework = Biblioteca
edit-model-framework-hint = Por ejemplo, fasttext, scikit-learn o transformers.
edit-model-licence = Licencia
edit-model-licence-hint = Un identificador SPDX, por ejemplo mit o apache-2.0.
edit-model-project = Proyecto
edit-model-project-hint = El identificador del proyecto al que pertenece el modelo.
edit-model-languages-hint = Códigos de idioma separados por comas.
edit-model-datasets = Conjuntos de datos
edit-model-datasets-hint = Un nombre por línea (solo nombres: los datos se quedan en casa).
organisations-person-lead = Responsable de { $workstream }
organisations-person-member = Miembro de { $workstream }
organisations-people-heading = Personas
organisations-people-empty = Ninguna de sus personas se ha unido a una línea de trabajo que usted pueda ver.
organisations-benchmarks-heading = Bancos de pruebas en los que participa
organisations-benchmarks-empty = No participa en ningún banco de pruebas que usted pueda ver.
organisations-activity-heading = Actividad reciente
organisations-activity-all = Toda su actividad
edit-preview = Vista previa
edit-preview-heading = Vista previa
edit-preview-help = El texto tal como lo mostrará su página. No se guarda nada hasta que pulse «Guardar los cambios».
