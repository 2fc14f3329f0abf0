"""Who is who: the actor gazetteer (countries, organisations, office holders) and the actor phrases of a parse."""
