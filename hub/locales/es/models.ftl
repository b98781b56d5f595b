# models: the model list, a model card's page, benchmarks, their leaderboards and runs.

## The model list

models-list-heading = Modelos
models-list-description = Fichas de modelos compartidas por las oficinas de estadística: tareas, bibliotecas, versiones y resultados de evaluación.
models-list-lead = Fichas de modelos compartidas por las oficinas de estadística. Los artefactos permanecen en su oficina; las fichas remiten a ellos.
models-filter-label = Filtrar modelos
models-filter-organisation = Organización
models-filter-any-organisation = Todas las organizaciones
models-filter-task = Tarea
models-filter-any-task = Todas las tareas
models-filter-submit = Filtrar
models-filter-clear = Quitar filtros
models-list-range = { $total ->
    [0] Ninguna ficha de modelo
    [one] 1 ficha de modelo
   *[other] { $total } fichas de modelos, se muestran { $first }–{ $last }
}
models-list-caption = Fichas de modelos
models-col-model = Modelo
models-col-organisation = Organización
models-col-task = Tarea
models-col-updated = Actualización
models-list-empty = Ninguna ficha de modelo que pueda ver coincide con estos filtros.

## A model card's page

model-description = Ficha del modelo { $title }, compartida en Agora.
model-breadcrumb = Ruta de navegación
model-breadcrumb-models = Modelos
model-kind = Ficha de modelo
model-by = Por
model-withdrawn = Retirado por su fuente
model-edit = Editar la ficha
model-assessments-heading = Evaluaciones
model-activity-heading = Actividad
model-aside-label = Acerca de este modelo

model-origin-manual = Introducido en la plataforma
model-origin-git = Leído de un manifiesto git
model-origin-agent = Enviado por el agente de la organización

model-facts-heading = Acerca de
model-facts-tags = Etiquetas
model-facts-project = Proyecto
model-facts-task = Tarea
model-facts-pipeline = Pipeline
model-facts-framework = Biblioteca
model-facts-licence = Licencia
model-facts-licence-name = Nombre de la licencia
model-facts-base-model = Modelo base
model-facts-latest-version = Última versión
model-facts-languages = Idiomas
model-facts-datasets = Conjuntos de datos
model-facts-metrics = Métricas

model-warnings-heading = Valores conservados tal cual
model-warnings-shown-to = Solo para su organización: el hub no pudo usar estos valores en sus facetas.

model-text-heading = Ficha de modelo
model-text-empty = Esta ficha aún no tiene texto.
model-section-card-body = Ficha de modelo
model-section-intended-use = Uso previsto
model-section-training-data = Datos de entrenamiento
model-section-limitations = Limitaciones
model-section-ethics = Consideraciones éticas

model-versions-heading = Versiones
model-versions-empty = No se ha registrado ninguna versión.
model-versions-caption = Versiones de { $title }
model-versions-col-version = Versión
model-versions-col-stage = Etapa
model-versions-col-aliases = Alias
model-versions-col-registered = Registrada
model-versions-col-artefact = Artefacto
model-versions-col-notes = Notas
model-version-stage-none = ninguna
model-version-stage-staging = preproducción
model-version-stage-production = producción
model-version-stage-archived = archivada

model-results-heading = Resultados de evaluación
model-results-empty = No se ha compartido ningún resultado de evaluación.
model-results-caption = Resultados de evaluación de { $title }
model-results-col-version = Versión
model-results-col-metric = Métrica
model-results-col-value = Valor
model-results-col-dataset = Conjunto de datos
model-results-col-split = Partición
model-results-as-reported = según la ficha

model-benchmarks-heading = Resultados en bancos de pruebas
model-benchmarks-empty = Este modelo aún no tiene resultados en un banco de pruebas compartido.
model-benchmarks-caption = Resultados de { $title } en bancos de pruebas
model-benchmarks-col-benchmark = Banco de pruebas
model-benchmarks-col-organisation = Organización
model-benchmarks-col-version = Versión
model-benchmarks-col-primary-metric = Métrica principal
model-benchmarks-col-rank = Posición en la organización
model-benchmarks-col-produced-by = Producido por
model-benchmarks-col-recorded = Registrado
model-benchmarks-rank = { $rank } de { $count }
model-benchmarks-demo = datos de demostración

## The benchmark list

benchmarks-heading = Bancos de pruebas
benchmarks-description = Bancos de pruebas compartidos: cada oficina evalúa modelos con sus propios datos e informa de las métricas.
benchmarks-help = Tareas de evaluación compartidas. Cada oficina evalúa un modelo con sus propios datos, en su propia infraestructura de cálculo; solo vuelven las métricas.
benchmarks-empty = Aún no hay ningún banco de pruebas que pueda ver.
benchmarks-caption = { $count ->
    [one] { $count } banco de pruebas
   *[other] { $count } bancos de pruebas
}
benchmarks-col-benchmark = Banco de pruebas
benchmarks-col-task = Tarea
benchmarks-col-ranked-by = Clasificado por
benchmarks-col-organisations = Organizaciones

## A benchmark's page

benchmark-title = { $title } — banco de pruebas
benchmark-description = Clasificación del banco de pruebas { $title }: { $metric }
benchmark-breadcrumb-benchmarks = Bancos de pruebas
benchmark-better-higher = cuanto más alto, mejor
benchmark-better-lower = cuanto más bajo, mejor
benchmark-leaderboard-heading = Clasificación
benchmark-leaderboard-best-before = Mejor resultado en
benchmark-leaderboard-best-after = ({ $better }) de cada modelo en cada organización.
benchmark-leaderboard-within = Cada organización evalúa con su propio conjunto de datos, por lo que los modelos se clasifican dentro de cada organización.
benchmark-leaderboard-csv = Descargar en CSV
benchmark-leaderboard-empty = Aún no hay resultados. Los resultados aparecen aquí cuando los agentes de las organizaciones terminan sus trabajos.
benchmark-sort-label = Orden de la clasificación
benchmark-sort-rank = Por organización y posición
benchmark-sort-value = Mejor valor primero
benchmark-sort-model = Por modelo
benchmark-sort-recorded = Más recientes primero
benchmark-leaderboard-caption = Clasificación de { $title }
benchmark-col-organisation = Organización
benchmark-col-rank = Posición
benchmark-col-model = Modelo
benchmark-col-other-metrics = Otras métricas
benchmark-col-produced-by = Producido por
benchmark-col-recorded = Registrado
benchmark-row-version = versión { $version }
benchmark-demo = datos de demostración
benchmark-definition-heading = Definición
benchmark-metrics = Métricas
benchmark-direction-maximize = a maximizar
benchmark-direction-minimize = a minimizar
benchmark-metric-primary = principal
benchmark-metrics-separator = { "; " }
benchmark-command = Comando de evaluación
benchmark-command-pin = Huella del comando
benchmark-command-pin-before = lo que un agente incluye en
benchmark-command-pin-after = para ejecutarlo
benchmark-image = Imagen
benchmark-resources = Recursos
benchmark-resources-cpu-memory = { $cpus } CPU, { $memory } MB
benchmark-resources-gpus = { $gpus } GPU
benchmark-resources-time-limit = como máximo { $seconds } s
benchmark-participants = Organizaciones y sus conjuntos de datos
benchmark-participant = { $organisation }: { $dataset }
benchmark-runs-heading = Ejecuciones recientes
benchmark-runs-empty = Aún no hay ninguna ejecución que pueda ver.
benchmark-run-link = Ejecución { $id }
benchmark-run-link-colon = { ":" }
benchmark-run-model = { $model } versión { $version }
benchmark-run-jobs = { $done ->
    [one] { $done } trabajo terminado
   *[other] { $done } trabajos terminados
} de { $total }
benchmark-run-state-active = en curso
benchmark-run-state-succeeded = correcta
benchmark-run-state-finished = terminada
benchmark-run-state-cancelled = cancelada

benchmark-chart-title = Mejor resultado en { $metric } de cada modelo en cada organización
benchmark-chart-desc = { $models ->
    [one] { $models } modelo
   *[other] { $models } modelos
} por { $organisations ->
    [one] { $organisations } organización
   *[other] { $organisations } organizaciones
}; { $better }. Cada organización evalúa con su propio conjunto de datos. Las celdas más oscuras son los mejores valores, en una misma escala para todo el gráfico (la leyenda indica sus extremos). Celdas vacías: sin evaluar allí.
benchmark-chart-leading = El gráfico muestra los { $models } modelos mejor clasificados en alguna organización; la tabla los enumera todos.
benchmark-chart-cell = { $model } en { $organisation }: { $metric } { $value } (posición { $rank } de { $count }), versión { $version }
benchmark-chart-cell-empty = { $model } en { $organisation }: sin evaluar

## A benchmark run's page

run-title = Ejecución { $id } de { $title }
run-description = Ejecución { $id } del banco de pruebas { $title }
run-breadcrumb-benchmarks = Bancos de pruebas
run-heading = Ejecución { $id }: { $model }
run-started-by = iniciada por { $name } el { $date }
run-parameters = parámetros { $parameters }
run-jobs-caption = Trabajos de la ejecución { $id }, uno por organización
run-col-organisation = Organización
run-col-dataset = Conjunto de datos
run-col-state = Estado
run-col-attempts = Intentos
run-col-agent = Agente
run-col-executor = Ejecutor
run-col-hardware = Hardware
run-col-metrics = Métricas
run-attempts = { $attempts } de { $max }
run-job-state-queued = en cola
run-job-state-leased = asignado
run-job-state-running = en ejecución
run-job-state-succeeded = correcto
run-job-state-failed = fallido
run-job-state-refused = rechazado
run-job-state-cancelled = cancelado
run-job-state-expired = caducado
run-log-heading = Registro de { $organisation } (últimos 64 KiB)

# The model at a glance
glance-heading = De un vistazo
glance-version-production = En producción
glance-version-newest = Versión más reciente
glance-no-version = Ninguna versión registrada
glance-registered = registrada el { $date }
glance-metric = Resultado principal
glance-metric-on = en { $dataset }
glance-metric-on-split = en { $dataset } ({ $split })
glance-metric-from-card = según la ficha
glance-no-metric = Ningún resultado publicado
glance-qf4sa = Nivel QF4SA
glance-qf4sa-lowest = el más bajo de las cinco dimensiones
glance-qf4sa-stale = de una versión anterior
glance-no-qf4sa = Aún sin evaluar
glance-chips = Tarea, idiomas, licencia y biblioteca
glance-language = Idioma
glance-get = Artefacto:
glance-contact = Publicado por { $organisation }.
glance-contact-link = A quién preguntar
glance-compare = Comparar con otro modelo
glance-stage-none = Sin etapa
glance-stage-staging = Preproducción
glance-stage-production = Producción
glance-stage-archived = Archivado

# The models list
models-filter-language = Idioma
models-filter-any-language = Cualquier idioma
models-filter-stage = Etapa del proyecto
models-filter-any-stage = Cualquier etapa
models-filter-licence = Licencia
models-filter-any-licence = Cualquier licencia
models-filter-framework = Biblioteca
models-filter-any-framework = Cualquier biblioteca
models-filter-qf4sa = Evaluación QF4SA
models-filter-any-qf4sa = Con o sin
models-qf4sa-any = Cualquiera, borradores incluidos
models-qf4sa-submitted = Enviada o revisada
models-qf4sa-reviewed = Revisada
models-sort-by = Ordenar por
models-sort-updated = Actualizados recientemente
models-sort-created = Más recientes
models-sort-name = Nombre
models-col-version = Versión
models-col-result = Resultado principal
models-col-languages = Idiomas
models-col-qf4sa = QF4SA
