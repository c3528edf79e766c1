// Everything said about one entity, with the sentence each statement was read from:
// queries/entity_statements.rq in Cypher, for the LadybugDB export and the Neo4j import.
//
// One row per name of the entity (its name and each alias) and statement: the
// statements with the entity as subject (→) or object (←), from the Statement nodes of
// the provenance graph, and each statistic about it (refArea or about, ←); with the
// other end, the article, the sentence, the character offsets in the page and the
// extractor (rule) that read it. Five branches, one per way a statement reaches the
// entity, each with the same tail (Cypher has no UNION inside a query part); unordered,
// as ORDER BY after a UNION orders only its last part in Neo4j.

// statement → object node
MATCH (e)<-[:SUBJECT]-(st:Statement)-[:OBJECT]->(x), (st)-[:PREDICATE]->(p)
WITH e, st, '→' AS direction, p.iri AS predicate, coalesce(x.name, x.label, x.iri) AS other
WHERE e.name IS NOT NULL AND st.startOffset IS NOT NULL AND st.endOffset IS NOT NULL
MATCH (st)-[:DERIVED_FROM]->(source), (st)-[:ATTRIBUTED_TO]->(extractor)
WHERE extractor.label IS NOT NULL
OPTIONAL MATCH (source)-[:IS_PART_OF]->(a)
UNWIND (CASE WHEN e.alias IS NULL THEN [e.name]
        ELSE [e.name] + e.alias END) AS label
RETURN DISTINCT label, e.name AS entity, direction, predicate, other,
       CASE WHEN a IS NULL THEN source.label ELSE a.label END AS article,
       coalesce(source.text, '') AS sentence, st.startOffset AS start,
       st.endOffset AS `end`, extractor.label AS extractor
UNION
// statement → literal object
MATCH (e)<-[:SUBJECT]-(st:Statement)-[:PREDICATE]->(p)
WHERE st.object IS NOT NULL
WITH e, st, '→' AS direction, p.iri AS predicate, st.object AS other
WHERE e.name IS NOT NULL AND st.startOffset IS NOT NULL AND st.endOffset IS NOT NULL
MATCH (st)-[:DERIVED_FROM]->(source), (st)-[:ATTRIBUTED_TO]->(extractor)
WHERE extractor.label IS NOT NULL
OPTIONAL MATCH (source)-[:IS_PART_OF]->(a)
UNWIND (CASE WHEN e.alias IS NULL THEN [e.name]
        ELSE [e.name] + e.alias END) AS label
RETURN DISTINCT label, e.name AS entity, direction, predicate, other,
       CASE WHEN a IS NULL THEN source.label ELSE a.label END AS article,
       coalesce(source.text, '') AS sentence, st.startOffset AS start,
       st.endOffset AS `end`, extractor.label AS extractor
UNION
// statement ← subject node
MATCH (e)<-[:OBJECT]-(st:Statement)-[:SUBJECT]->(x), (st)-[:PREDICATE]->(p)
WITH e, st, '←' AS direction, p.iri AS predicate, coalesce(x.name, x.label, x.iri) AS other
WHERE e.name IS NOT NULL AND st.startOffset IS NOT NULL AND st.endOffset IS NOT NULL
MATCH (st)-[:DERIVED_FROM]->(source), (st)-[:ATTRIBUTED_TO]->(extractor)
WHERE extractor.label IS NOT NULL
OPTIONAL MATCH (source)-[:IS_PART_OF]->(a)
UNWIND (CASE WHEN e.alias IS NULL THEN [e.name]
        ELSE [e.name] + e.alias END) AS label
RETURN DISTINCT label, e.name AS entity, direction, predicate, other,
       CASE WHEN a IS NULL THEN source.label ELSE a.label END AS article,
       coalesce(source.text, '') AS sentence, st.startOffset AS start,
       st.endOffset AS `end`, extractor.label AS extractor
UNION
// statistic in a region
MATCH (e)<-[:REF_AREA]-(st:Observation)
WHERE st.label IS NOT NULL
WITH e, st, '←' AS direction, 'http://purl.org/linked-data/sdmx/2009/dimension#refArea' AS predicate, st.label AS other
WHERE e.name IS NOT NULL AND st.startOffset IS NOT NULL AND st.endOffset IS NOT NULL
MATCH (st)-[:DERIVED_FROM]->(source), (st)-[:ATTRIBUTED_TO]->(extractor)
WHERE extractor.label IS NOT NULL
OPTIONAL MATCH (source)-[:IS_PART_OF]->(a)
UNWIND (CASE WHEN e.alias IS NULL THEN [e.name]
        ELSE [e.name] + e.alias END) AS label
RETURN DISTINCT label, e.name AS entity, direction, predicate, other,
       CASE WHEN a IS NULL THEN source.label ELSE a.label END AS article,
       coalesce(source.text, '') AS sentence, st.startOffset AS start,
       st.endOffset AS `end`, extractor.label AS extractor
UNION
// statistic about a program
MATCH (e)<-[:ABOUT]-(st:Observation)
WHERE st.label IS NOT NULL
WITH e, st, '←' AS direction, 'http://purl.org/dc/terms/subject' AS predicate, st.label AS other
WHERE e.name IS NOT NULL AND st.startOffset IS NOT NULL AND st.endOffset IS NOT NULL
MATCH (st)-[:DERIVED_FROM]->(source), (st)-[:ATTRIBUTED_TO]->(extractor)
WHERE extractor.label IS NOT NULL
OPTIONAL MATCH (source)-[:IS_PART_OF]->(a)
UNWIND (CASE WHEN e.alias IS NULL THEN [e.name]
        ELSE [e.name] + e.alias END) AS label
RETURN DISTINCT label, e.name AS entity, direction, predicate, other,
       CASE WHEN a IS NULL THEN source.label ELSE a.label END AS article,
       coalesce(source.text, '') AS sentence, st.startOffset AS start,
       st.endOffset AS `end`, extractor.label AS extractor;
