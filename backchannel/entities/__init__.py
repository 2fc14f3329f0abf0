"""Who is who: one gazetteer (tables and the knowledge base), the office-holder resolver, each
document's entities, the antecedent search, the non-entity guard, and the actor code of a mention."""
