// Officials and their posts, by province: queries/officials_by_province.rq in Cypher,
// for the LadybugDB export (kg export … --format ladybug) and the Neo4j import.
//
// Every person who holds a post in an agency (or in a state: 国家主席 of 中华人民共和国),
// with the agency's region and the province (else the country) that region lies in;
// agencies of kind media and enterprise are left out.
MATCH (person:Person)-[:HOLDS]->(post:Post)-[:POST_IN]->(org),
      (post)-[:POST_ROLE]->(role:Role)
WHERE org.kind IS NULL OR NOT org.kind IN ['media', 'enterprise']
OPTIONAL MATCH (org)-[:LOCATION]->(located)
WITH person, role, org, located
MATCH (place)
WHERE (located IS NULL AND place.iri = org.iri) OR place.iri = located.iri
OPTIONAL MATCH (place)-[:CONTAINED_IN*0..30]->(province:Region {level: 'province'})
OPTIONAL MATCH (place)-[:CONTAINED_IN*0..30]->(country:Region {level: 'country'})
RETURN DISTINCT coalesce(province.name, country.name, '') AS province,
       person.name AS person, role.name AS title, org.name AS organisation,
       place.name AS region, person.iri AS personIri
ORDER BY province, organisation, person, title;
