# El correo de resumen semanal (o diario): asunto, secciones, líneas y pie.
# Lo que escribieron las personas (resúmenes de eventos, títulos de proyectos y líneas de trabajo) no se traduce.

## Asunto: [WS4 Training data] 3 modelos nuevos, 1 evaluación — semana 48
email-subject = [{ $workstream }] { $counts } — { $period }
email-period-week-short = semana { $week }

## Bajo el título: el periodo, en la zona horaria del lector
email-period-day = { $weekday }, { $date } ({ $zone })
email-period-week = Semana { $week } de { $year }: del { $first } al { $last } ({ $zone })
email-weekday-1 = lunes
email-weekday-2 = martes
email-weekday-3 = miércoles
email-weekday-4 = jueves
email-weekday-5 = viernes
email-weekday-6 = sábado
email-weekday-7 = domingo

## Secciones, y cómo las cuenta el asunto
email-section-projects = Proyectos
email-count-projects = { $count ->
    [one] { $count } actualización de proyecto
   *[other] { $count } actualizaciones de proyectos
}
email-section-models = Modelos nuevos
email-count-models = { $count ->
    [one] { $count } modelo nuevo
   *[other] { $count } modelos nuevos
}
email-section-assessments = Evaluaciones
email-count-assessments = { $count ->
    [one] { $count } evaluación
   *[other] { $count } evaluaciones
}
email-section-benchmarks = Resultados de pruebas comparativas
email-count-benchmarks = { $count ->
    [one] { $count } resultado de prueba comparativa
   *[other] { $count } resultados de pruebas comparativas
}
email-section-members = Miembros nuevos
email-count-members = { $count ->
    [one] { $count } miembro nuevo
   *[other] { $count } miembros nuevos
}
email-section-agents = Agentes sin señal
email-count-agents = { $count ->
    [one] { $count } agente sin señal
   *[other] { $count } agentes sin señal
}
email-section-other = Otra actividad
email-count-other = { $count ->
    [one] { $count } otra actualización
   *[other] { $count } otras actualizaciones
}
email-more-on-the-hub = y { $count } más en el hub
email-more = y { $count } más

## Líneas
email-benchmark-result = { $model } en { $benchmark }
email-benchmark-result-metric = { $model } en { $benchmark }: { $metric } { $value }
email-a-benchmark = una prueba comparativa
email-rank-up = puesto { $rank } (sube; antes { $previous })
email-rank-down = puesto { $rank } (baja; antes { $previous })
email-rank-unchanged = puesto { $rank } (sin cambios)
email-rank-new = puesto { $rank } (nuevo en la clasificación)
email-agent-silent = El agente { $agent } de { $organisation } ha dejado de dar señales
email-agent-last-seen = visto por última vez el { $at }

## Pie
email-why = Recibe este resumen { $frequency ->
    [daily] diario
   *[weekly] semanal
} porque sigue { $workstream } en Agora.
email-change-digests = Cambiar sus resúmenes
email-unsubscribe = Darse de baja de esta línea de trabajo
email-text-workstream = Línea de trabajo: { $url }
email-text-change-digests = Cambiar sus resúmenes: { $url }
email-text-unsubscribe = Darse de baja de esta línea de trabajo: { $url }
