// The agencies of a region and the programs they administer:
// queries/agencies_and_programs.rq in Cypher, for the LadybugDB export and the Neo4j
// import.
//
// Each agency under every region that contains it (located_in says where it is), with
// its kind, the programs it administers, their kind and the regions they apply to.
MATCH (agency:Agency)-[:LOCATION]->(located)-[:CONTAINED_IN*0..30]->(area)
WHERE agency.name IS NOT NULL AND located.name IS NOT NULL AND area.name IS NOT NULL
OPTIONAL MATCH (agency)-[:ADMINISTERS]->(program)
WHERE program.name IS NOT NULL
OPTIONAL MATCH (program)-[:APPLIES_TO]->(target)
WHERE target.name IS NOT NULL
RETURN DISTINCT area.name AS region, agency.name AS agency, agency.kind AS kind,
       located.name AS located_in, program.name AS program,
       program.kind AS program_kind, target.name AS applies_to,
       agency.iri AS agencyIri
ORDER BY region, agency, program, applies_to;
