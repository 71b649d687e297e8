"""Answers over the knowledge base: where to land, concept to market, whom to court, which markets first."""
