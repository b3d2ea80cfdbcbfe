"""The board templates Journeymap ships, in French and English.

Stage models follow the practitioners' literature: the six-stage journey (awareness to loyalty)
and the five-stage one that ends with the customer recommending the brand.
"""

from __future__ import annotations

from typing import Any

STANDARD_LANES = [
    {"kind": "actions", "en": "Actions", "fr": "Actions"},
    {"kind": "touchpoints", "en": "Touchpoints", "fr": "Points de contact"},
    {"kind": "emotions", "en": "Emotions", "fr": "Émotions"},
    {"kind": "needs", "en": "Needs", "fr": "Besoins"},
    {"kind": "pain_points", "en": "Pain points", "fr": "Irritants"},
    {"kind": "opportunities", "en": "Opportunities", "fr": "Opportunités"},
]

BUILTIN_TEMPLATES: list[dict[str, Any]] = [
    {
        "key": "six-stages",
        "name_en": "6 stages",
        "name_fr": "6 étapes",
        "description_en": "From awareness to loyalty: the classic six-stage customer journey.",
        "description_fr": "De la prise de conscience à la fidélisation : le parcours client "
        "classique en six étapes.",
        "map_type": "current_state",
        "structure": {
            "stages": [
                {"en": "Awareness", "fr": "Prise de conscience"},
                {"en": "Research", "fr": "Recherche"},
                {"en": "Consideration", "fr": "Considération"},
                {"en": "Purchase", "fr": "Achat"},
                {"en": "After-sales service", "fr": "Service après-vente"},
                {"en": "Loyalty", "fr": "Fidélisation"},
            ],
            "lanes": STANDARD_LANES,
        },
    },
    {
        "key": "five-stages",
        "name_en": "5 stages",
        "name_fr": "5 étapes",
        "description_en": "From recognising a need to recommending the brand.",
        "description_fr": "De la reconnaissance d'un besoin à la recommandation de la marque.",
        "map_type": "current_state",
        "structure": {
            "stages": [
                {"en": "Recognition", "fr": "Reconnaissance"},
                {"en": "Consideration", "fr": "Considération"},
                {"en": "Purchase decision", "fr": "Décision d'achat"},
                {"en": "Loyalty", "fr": "Fidélisation"},
                {"en": "Recommendation", "fr": "Recommandation"},
            ],
            "lanes": [
                {"kind": "actions", "en": "Actions", "fr": "Actions"},
                {"kind": "thoughts", "en": "Thoughts", "fr": "Pensées"},
                {"kind": "emotions", "en": "Emotions", "fr": "Émotions"},
                {"kind": "touchpoints", "en": "Touchpoints", "fr": "Points de contact"},
                {"kind": "pain_points", "en": "Pain points", "fr": "Irritants"},
                {"kind": "opportunities", "en": "Opportunities", "fr": "Opportunités"},
            ],
        },
    },
    {
        "key": "service-blueprint",
        "name_en": "Service blueprint",
        "name_fr": "Blueprint de service",
        "description_en": "What the customer does, what they see, and what happens behind the "
        "scenes to make it work.",
        "description_fr": "Ce que fait le client, ce qu'il voit, et ce qui se passe en coulisses "
        "pour que tout fonctionne.",
        "map_type": "service_blueprint",
        "structure": {
            "stages": [
                {"en": "Before", "fr": "Avant"},
                {"en": "Arrival", "fr": "Arrivée"},
                {"en": "Service", "fr": "Service"},
                {"en": "Payment", "fr": "Paiement"},
                {"en": "After", "fr": "Après"},
            ],
            "lanes": [
                {"kind": "actions", "en": "Customer actions", "fr": "Actions du client"},
                {"kind": "touchpoints", "en": "Physical evidence", "fr": "Preuves physiques"},
                {"kind": "frontstage", "en": "Frontstage", "fr": "Front-office"},
                {"kind": "backstage", "en": "Backstage", "fr": "Back-office"},
                {"kind": "support_processes", "en": "Support processes", "fr": "Processus support"},
                {"kind": "custom", "en": "People", "fr": "Personnes"},
                {"kind": "custom", "en": "Technology", "fr": "Technologie"},
                {"kind": "custom", "en": "Process", "fr": "Processus"},
                {"kind": "custom", "en": "Policy", "fr": "Règles"},
            ],
        },
    },
    {
        "key": "day-in-the-life",
        "name_en": "A day in the life",
        "name_fr": "Une journée type",
        "description_en": "The customer's whole day, with and without your product.",
        "description_fr": "Toute la journée du client, avec et sans votre produit.",
        "map_type": "day_in_the_life",
        "structure": {
            "stages": [
                {"en": "Morning", "fr": "Matin"},
                {"en": "Midday", "fr": "Midi"},
                {"en": "Afternoon", "fr": "Après-midi"},
                {"en": "Evening", "fr": "Soirée"},
                {"en": "Night", "fr": "Nuit"},
            ],
            "lanes": [
                {"kind": "actions", "en": "Actions", "fr": "Actions"},
                {"kind": "thoughts", "en": "Thoughts", "fr": "Pensées"},
                {"kind": "emotions", "en": "Emotions", "fr": "Émotions"},
                {"kind": "touchpoints", "en": "Touchpoints", "fr": "Points de contact"},
                {"kind": "needs", "en": "Needs", "fr": "Besoins"},
                {"kind": "pain_points", "en": "Pain points", "fr": "Irritants"},
            ],
        },
    },
    {
        "key": "blank",
        "name_en": "Blank board",
        "name_fr": "Tableau vierge",
        "description_en": "Start from nothing and add your own stages and lanes.",
        "description_fr": "Partir de zéro et ajouter vos propres étapes et lignes.",
        "map_type": "current_state",
        "structure": {"stages": [], "lanes": []},
    },
]


def sync_builtin_templates(template_model: Any) -> None:
    """Create or refresh the shipped templates (by key), leaving admin-made ones alone."""
    for position, template in enumerate(BUILTIN_TEMPLATES):
        fields = {k: v for k, v in template.items() if k != "key"}
        template_model.objects.update_or_create(
            key=template["key"], defaults={**fields, "position": position}
        )
