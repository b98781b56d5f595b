# Evaluaciones QF4SA y éticas: páginas de consulta, formulario, historial, impresión y comparación.

## El Marco de calidad para algoritmos estadísticos (QF4SA)

qf4sa-dimension-explainability = Explicabilidad
qf4sa-dimension-accuracy = Precisión
qf4sa-dimension-reproducibility = Reproducibilidad
qf4sa-dimension-timeliness = Oportunidad
qf4sa-dimension-cost-effectiveness = Rentabilidad
qf4sa-question-explainability = ¿Se pueden explicar el método y sus resultados a los usuarios y a los productores?
qf4sa-question-accuracy = ¿En qué medida se acercan los resultados a los valores verdaderos, y cómo se midió?
qf4sa-question-reproducibility = ¿Se pueden volver a obtener los resultados a partir de los mismos insumos?
qf4sa-question-timeliness = ¿Están disponibles los resultados cuando se necesitan, y antes que hasta ahora?
qf4sa-question-cost-effectiveness = ¿Compensan los beneficios los costos de desarrollarlo y operarlo?
qf4sa-level-insufficient = Insuficiente
qf4sa-level-basic = Básico
qf4sa-level-adequate = Adecuado
qf4sa-level-good = Bueno
qf4sa-level-exemplary = Ejemplar
qf4sa-level-not-given = sin indicar
qf4sa-levels-help = Niveles: 1 insuficiente (no abordado, o con carencias graves), 2 básico (abordado de manera informal, persisten carencias), 3 adecuado (cumple lo que se espera de su uso en producción), 4 bueno (documentado, probado y repetible), 5 ejemplar (buenas prácticas, verificado de forma independiente).
# La descripción del gráfico de radar, una dimensión: «Precisión 4 de 5 (Bueno)».
qf4sa-radar-level = { $dimension } { $level } de 5 ({ $name })
qf4sa-radar-separator = { "; " }
qf4sa-radar-differs-mark = ≠
qf4sa-radar-title = Niveles QF4SA de { $subject }

## La autoevaluación ética de la UK Statistics Authority

ethics-principle-public-good = Bien público
ethics-principle-confidentiality = Confidencialidad y seguridad de los datos
ethics-principle-methods-quality = Métodos y calidad
ethics-principle-legal-compliance = Cumplimiento de la ley
ethics-principle-public-views = Opinión y participación del público
ethics-principle-transparency = Transparencia
ethics-risk-low = bajo
ethics-risk-medium = medio
ethics-risk-high = alto

## Tipos, estados y revisiones

assessment-kind-qf4sa = Evaluación QF4SA
assessment-kind-ethics = Autoevaluación ética
# El título de una página: «Evaluación QF4SA de Proyecto metrics». $kind es qf4sa o ethics.
assessment-title = { $kind ->
    [ethics] Autoevaluación ética
   *[qf4sa] Evaluación QF4SA
} de { $subject }
assessment-print-title = { $kind ->
    [ethics] Autoevaluación ética
   *[qf4sa] Evaluación QF4SA
} de { $subject } (versión para imprimir)
assessment-state-draft = Borrador
assessment-state-submitted = Enviada a revisión
assessment-state-reviewed = Revisada
assessment-decision-accepted = Aceptada
assessment-decision-changes-requested = Cambios solicitados
assessment-standing-other = de otra organización
assessment-standing-lead = responsable de la línea de trabajo { $workstream }
assessment-version = versión { $version }
assessment-version-updated = versión { $version } · actualizada el { $updated }
assessment-source-synced-commit = sincronizada por { $agent } desde { $source } en el commit { $commit }
assessment-source-synced = sincronizada por { $agent } desde { $source }
assessment-source-hub = registrada en el hub

## La lista de evaluaciones de un sujeto

assessment-list-empty = Todavía no hay ninguna evaluación.
assessment-stale-newer = Desactualizada: existe una versión más reciente
assessment-card-meta = { $subject } · versión { $version } · actualizada el { $updated }

## Las páginas de consulta e impresión

assessment-view-description = Una evaluación de la calidad según el QF4SA o una autoevaluación ética, sus niveles y sus revisiones.
assessment-stale-warning = Desactualizada: esta evaluación corresponde a una versión anterior del modelo; su versión más reciente es la { $version }.
assessment-stale-label = Desactualizada:
assessment-stale-print = la versión más reciente del modelo es la { $version }.
assessment-withdrawn = Retirada: su fuente ya no la incluye.
assessment-actions = Evaluación
assessment-history = Historial
assessment-print = Imprimir
assessment-export = Exportar en JSON
assessment-edit = Editar (nueva versión)
assessment-radar-caption = Niveles QF4SA, de 1 (centro) a 5 (borde). La tabla siguiente indica cada nivel con su evidencia.
assessment-dimensions-caption = Dimensiones del QF4SA, niveles de 1 (insuficiente) a 5 (ejemplar)
assessment-principles-caption = Principios éticos de la autoevaluación de la UK Statistics Authority
assessment-dimension = Dimensión
assessment-principle = Principio
assessment-level = Nivel
assessment-evidence = Evidencia
assessment-answer = Respuesta
assessment-risk = Riesgo
assessment-mitigation = Mitigación
assessment-summary = Resumen
assessment-submit-hint = Cuando la evaluación esté completa, envíela: una persona de otra organización, o un responsable de una de sus líneas de trabajo, la revisará.
assessment-submit = Enviar la versión { $version } a revisión
assessment-review-heading = Revisar la versión { $version }
assessment-decision = Decisión
assessment-accept = Aceptar: la evaluación pasa a estar revisada
assessment-request-changes = Solicitar cambios: vuelve a ser un borrador
assessment-comments = Comentarios
assessment-record-review = Registrar la revisión
assessment-review-choose = elija: aceptar, o solicitar cambios
assessment-reviews = Revisiones
assessment-not-reviewed = Aún no se ha revisado.
assessment-sign-in-to-review = Inicie sesión para revisarla.
# Tras la decisión: «(versión 2) por Claire (insee), de otra organización, 1 dic 2026, 14:05 UTC».
assessment-review-by = (versión { $version }) por { $reviewer }, { $standing }, { $at }
assessment-back = Volver a la evaluación

## El formulario

assessment-form-description = Redactar o editar una evaluación de la calidad según el QF4SA o una evaluación ética.
assessment-new-project = { $kind ->
    [ethics] Nueva autoevaluación ética
   *[qf4sa] Nueva evaluación QF4SA
} del proyecto { $project }
assessment-new-model = { $kind ->
    [ethics] Nueva autoevaluación ética
   *[qf4sa] Nueva evaluación QF4SA
} de { $model } versión { $version }
assessment-edit-heading = { $kind ->
    [ethics] Editar la autoevaluación ética
   *[qf4sa] Editar la evaluación QF4SA
} de { $subject }
assessment-edit-heading-now = { $kind ->
    [ethics] Editar la autoevaluación ética
   *[qf4sa] Editar la evaluación QF4SA
} de { $subject } (ahora versión { $version })
assessment-form-problems = { $count ->
    [one] { $count } problema por corregir
   *[other] { $count } problemas por corregir
}
assessment-form-problems-hint = Cada uno se indica junto a su campo.
assessment-choose-level = Elija un nivel
assessment-links = Enlaces
assessment-links-help = (una dirección http o https por línea)
assessment-optional = (opcional)
assessment-choose-risk = Elija un nivel de riesgo
assessment-mitigation-help = (obligatoria cuando el riesgo es medio o alto)
assessment-note = Qué cambia esta versión
assessment-note-help = (opcional, se muestra en el historial)
assessment-save = Guardar
assessment-cancel = Cancelar
assessment-error-choose-level = elija un nivel del 1 al 5
assessment-error-choose-risk = elija un nivel de riesgo
assessment-error-empty = no debe estar vacío
assessment-error-too-long = debe tener como máximo { $max } caracteres
assessment-error-too-many = debe tener como máximo { $max } entradas
assessment-error-repeated = está repetido
assessment-error-mitigation-required = es obligatoria cuando el riesgo es medio o alto
assessment-error-level = el nivel debe ser un número entero del 1 al 5 (valor recibido: { $value })
assessment-error-not-url = «{ $value }» no es una URL
assessment-error-not-allowed-create = no puede evaluar el trabajo de otra organización: sus evaluaciones las redacta su propio personal
assessment-error-not-allowed-edit = no puede modificar la evaluación de otra organización

## La página de historial

assessment-history-description = Las versiones de una evaluación y lo que cambió de una a otra.
assessment-history-title = Historial de { $kind ->
    [ethics] la autoevaluación ética
   *[qf4sa] la evaluación QF4SA
} de { $subject }
assessment-versions-caption = Versiones, de la más reciente a la más antigua
assessment-col-version = Versión
assessment-col-when = Fecha
assessment-col-by = Autor
assessment-col-note = Nota
assessment-col-changes = Cambios
assessment-current = (actual)
assessment-compare-with = comparar con la { $version }
assessment-first-version = primera versión
assessment-diff-heading = De la versión { $from } a la versión { $to }
assessment-diff-from = De
assessment-diff-to = a
assessment-diff-compare = Comparar
assessment-no-differences = No hay diferencias.
assessment-changes-to = Cambios en «{ $field }»
assessment-diff-removed = eliminado:
assessment-diff-added = añadido:
# Un campo de las diferencias del historial: «Precisión: nivel».
assessment-diff-field = { $name }: { $part }
assessment-diff-part-level = nivel
assessment-diff-part-evidence = evidencia
assessment-diff-part-links = enlaces
assessment-diff-part-answer = respuesta
assessment-diff-part-risk = riesgo
assessment-diff-part-mitigation = mitigación

## La página de comparación

assessment-compare-description = Comparación lado a lado de las evaluaciones de la calidad QF4SA de varios modelos.
assessment-compare-title = Comparación de evaluaciones QF4SA
assessment-compare-missing = No hay ninguna evaluación QF4SA que pueda consultar para: { $names }.
assessment-compare-how = Aún no hay nada que comparar: elija un modelo abajo y luego otro.
assessment-compare-radar-title = Niveles QF4SA de las evaluaciones comparadas
assessment-compare-legend = Evaluaciones comparadas
assessment-compare-differs-help = Una dimensión marcada con ≠ tiene niveles distintos; su fila también está marcada abajo.
assessment-compare-add = Añadir un modelo
assessment-compare-add-help = Su organización y nombre, por ejemplo insee/naf-coder; la lista ofrece cada modelo con una evaluación QF4SA.
assessment-compare-add-button = Añadir a la comparación
assessment-compare-caption = Niveles (1 a 5) y evidencia, una columna por evaluación
assessment-compare-differs = difiere
assessment-stale = Desactualizada
