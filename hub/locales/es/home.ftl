# La portada, la actividad y la búsqueda.

home-title = Aprendizaje automático en la estadística oficial
home-description = Agora: los proyectos, modelos y líneas de trabajo del aprendizaje automático en la estadística oficial, compartidos entre oficinas.
home-lead = Pilotos, sistemas en producción y fichas de modelos compartidos por las oficinas de estadística. Los datos se quedan en cada oficina; solo viaja lo que cada una decide compartir.
home-search-label = Buscar proyectos, modelos, líneas de trabajo y organizaciones
home-search-placeholder = por ejemplo: codificación de ocupaciones
home-search-button = Buscar
home-no-workstream = Aún no tiene visible ninguna línea de trabajo.
home-project-count = { $count ->
    [one] 1 proyecto
   *[other] { $count } proyectos
}
home-recent-activity = Actividad reciente
home-all-activity = Toda la actividad

activity-description = Lo que ha cambiado últimamente en los proyectos, modelos y líneas de trabajo del aprendizaje automático en la estadística oficial.
activity-filter = Filtrar la actividad
activity-any-workstream = Todas las líneas de trabajo
activity-any-organisation = Todas las organizaciones
activity-about = Tema
activity-everything = Todo
activity-filter-button = Filtrar
activity-clear-filters = Quitar los filtros
activity-older = Actividad anterior
activity-kind-projects = Proyectos
activity-kind-models = Fichas de modelos
activity-kind-model-versions = Versiones de modelos
activity-kind-memberships = Membresías
activity-kind-workstreams = Líneas de trabajo
activity-kind-organisations = Organizaciones

search-description = Buscar los proyectos, fichas de modelos, líneas de trabajo y organizaciones del aprendizaje automático en la estadística oficial.
search-title-for = { $q } — búsqueda
search-help = Se perdonan las erratas. Use "comillas" para una frase y -palabra para excluir una palabra.
search-error = No se pudo realizar la búsqueda
search-filters = Filtros
search-results-word = resultados
search-apply-filters = Aplicar los filtros
search-result-count = { $count ->
    [0] Ningún resultado
    [one] 1 resultado
   *[other] { $count } resultados
}
search-for = para
search-sort-by = Ordenar por
search-sort-relevance = Relevancia
search-sort-updated = Actualizados recientemente
search-sort = Ordenar
search-showing = Resultados { $first } a { $last } · { $ms } ms
search-updated = actualizado el
search-pages = Páginas de resultados
search-page-number = Página
search-nothing = Nada de lo que usted puede ver coincide.
search-nothing-filtered = Nada de lo que usted puede ver coincide con estos filtros.
search-nothing-matches = Nada de lo que usted puede ver coincide con
search-with-filters = con estos filtros
search-again-without-filters = Buscar de nuevo sin filtros
search-tip-words = Pruebe con menos palabras o más generales:
search-tip-words-short = codificación
search-tip-words-rather = en lugar de
search-tip-words-long = codificación automática de ocupaciones
search-tip-task = Busque por tarea, por ejemplo
search-tip-or = o
search-browse-everything = Verlo todo
search-browse-newest-first = , de lo más reciente a lo más antiguo.
search-tip-sign-in = Algunos trabajos solo son visibles para los miembros o para su propia organización; iniciar sesión puede mostrar más.
search-facet-kind = Tipo
search-facet-workstream = Línea de trabajo
search-facet-organisation = Organización
search-facet-task = Tarea
search-facet-framework = Biblioteca
search-facet-language = Idioma
search-facet-licence = Licencia
search-facet-qf4sa = Evaluación QF4SA
search-facet-stage = Etapa del recorrido
search-kind-item = Elemento
search-qf4sa-any = Cualquiera
search-qf4sa-submitted = Enviada
search-qf4sa-reviewed = Revisada

# Líneas de actividad, releídas de los resúmenes en inglés que escribe el hub ($a, $b… son sus partes).
event-kind-qf4sa = evaluación QF4SA
event-kind-ethics = autoevaluación ética
event-project-created = Nuevo proyecto «{ $a }» ({ $b })
event-project-moved = «{ $a }» pasó de { $b } a { $c }
event-project-updated = Se actualizó «{ $a }»
event-listed-again = Su fuente vuelve a incluir «{ $a }»
event-model-created = Nueva ficha de modelo «{ $a }»
event-model-listed-again = Su fuente vuelve a incluir la ficha de modelo «{ $a }»
event-model-updated = Se actualizó la ficha de modelo «{ $a }»
event-version-created = Se registró la versión { $b } de «{ $a }»
event-version-listed-again = Su fuente vuelve a incluir la versión { $b } de «{ $a }»
event-version-updated = Se actualizó la versión { $b } de «{ $a }»
event-workstream-created = Comenzó la línea de trabajo { $a }
event-workstream-updated = Se actualizó la línea de trabajo { $a }
event-organisation-created = { $a } se unió al hub
event-organisation-updated = Se actualizó { $a }
event-membership-lead = { $a } se unió como responsable
event-membership-joined = { $a } se unió
event-membership-now-lead = { $a } es ahora responsable
event-membership-now-member = { $a } es ahora miembro
event-membership-left = { $a } se fue
event-assessment-created = Nueva { $a } de «{ $b }»
event-assessment-listed-again = Su fuente vuelve a incluir la { $a } de «{ $b }»
event-assessment-changed = Se modificó la { $a } de «{ $b }» (versión { $c })
event-assessment-submitted = Se envió a revisión la { $a } de «{ $b }» (versión { $c })
event-assessment-accepted = Se revisó y aceptó la { $a } de «{ $b }» (versión { $c })
event-assessment-changes-requested = Se revisó la { $a } de «{ $b }»: se piden cambios (versión { $c })
event-benchmark-created = { $a } creó el banco de pruebas { $b }
event-benchmark-updated = { $a } actualizó el banco de pruebas { $b }
event-run-created = { $a } inició una ejecución de { $b } con { $c } versión { $d } en { $e }
event-result-recorded = { $a } versión { $b } obtuvo { $c } { $d } en { $e } en { $f }
home-count-organisations = { $count ->
    [one] { $count } organización
   *[other] { $count } organizaciones
}
home-count-projects = { $count ->
    [one] { $count } proyecto
   *[other] { $count } proyectos
}
home-count-models = { $count ->
    [one] { $count } modelo
   *[other] { $count } modelos
}
home-count-benchmarks = { $count ->
    [one] { $count } banco de pruebas
   *[other] { $count } bancos de pruebas
}
search-active-filters = Filtros activos
search-remove-filter = Quitar el filtro { $filter }
search-clear-all = Quitar todos
search-hit-qf4sa = Nivel QF4SA { $level }
search-compare-tick = comparar
search-compare-button = Comparar los modelos marcados
search-compare-help = Marque dos o más modelos con una evaluación QF4SA para verlos en un mismo gráfico.
activity-today = Hoy
activity-yesterday = Ayer
activity-period = Cuándo
activity-period-any = En cualquier momento
activity-period-today = Hoy
activity-period-week = Esta semana
activity-period-month = Este mes
home-newest-models = Modelos más recientes
home-all-models = Todos los modelos, los más recientes primero
