// Statistics about basic medical insurance (基本医疗保险 / 医保) coverage, by region and
// date: queries/medical_insurance_stats.rq in Cypher, for the LadybugDB export and the
// Neo4j import.
//
// Every observation whose metric or topic names medical insurance (医保, 医疗保险), or
// that counts the insured (参保) in a sentence about medical insurance; with its region
// and division code, its period (refPeriod, else periodStart/periodEnd, else as written),
// value and unit, and the sentence it was read from.
MATCH (obs:Observation)-[:UNIT_MEASURE]->(unit),
      (obs)-[:DERIVED_FROM]->(source:Sentence)
WHERE obs.value IS NOT NULL AND obs.label IS NOT NULL AND unit.name IS NOT NULL
OPTIONAL MATCH (obs)-[:ABOUT]->(subject)
WITH obs, unit, source,
     coalesce(obs.metric, '') + ' ' + coalesce(subject.name, subject.iri, obs.about, '')
       AS topic
WHERE topic CONTAINS '医保' OR topic CONTAINS '医疗保险'
   OR (topic CONTAINS '参保'
       AND (source.text CONTAINS '医保' OR source.text CONTAINS '医疗保险'))
OPTIONAL MATCH (obs)-[:REF_AREA]->(area)
RETURN area.name AS region, area.code AS code,
       CASE WHEN obs.refPeriod IS NOT NULL THEN obs.refPeriod
            WHEN obs.periodStart IS NOT NULL OR obs.periodEnd IS NOT NULL
            THEN coalesce(obs.periodStart, '') + '/' + coalesce(obs.periodEnd, '')
            ELSE '' END AS date,
       obs.periodText AS period_as_written, obs.metric AS metric, obs.value AS value,
       unit.name AS unit, obs.label AS figure, source.text AS sentence, obs.iri AS obs
ORDER BY region, date, obs.iri;
