"""Fictional reflections the demo's participants write: ordinary, themed, and free of identifiers."""

from __future__ import annotations

VOICES: list[tuple[str, str]] = [
    (
        "Missing episodes and school absence still sit in different systems; we only join them up when someone "
        "happens to ask.",
        "information_sharing,multi_agency_working",
    ),
    ("I realised I rarely ask the school what they have noticed before a strategy discussion.", "information_sharing"),
    (
        "Sharing felt risky until our information governance lead explained what we can share and why.",
        "information_sharing",
    ),
    (
        "The new cross-check at the Front Door means we hear about missing episodes the same day.",
        "information_sharing,good_practice",
    ),
    ("Adult mental health colleagues told me they do not always know who else lives in the home.", "think_family"),
    (
        "We talk about the parent's needs and forget to ask what a normal day is like for the children.",
        "think_family,voice_of_child",
    ),
    (
        "Recovery workers now ask about children at the first appointment, which opened up two conversations.",
        "think_family,good_practice",
    ),
    (
        "Young people tell us more about their lives outside home when we meet them somewhere they choose.",
        "voice_of_child,exploitation_efh",
    ),
    (
        "The 'my week' tool helped a young person show us where they feel unsafe, which we had never asked about.",
        "voice_of_child,good_practice",
    ),
    (
        "I hesitate to challenge another agency's decision because it can feel personal rather than professional.",
        "escalation_challenge",
    ),
    (
        "The one-page escalation flowchart made it easier to know who to call when we disagreed.",
        "escalation_challenge,good_practice",
    ),
    (
        "Escalation still seems to depend on seniority; newer colleagues do not feel backed to raise a concern.",
        "escalation_challenge,leadership_culture",
    ),
    (
        "Supervision is mostly about deadlines; there is little room to think about how a case makes me feel.",
        "supervision_reflection",
    ),
    (
        "Group reflective sessions across agencies helped me understand why police and health see risk differently.",
        "supervision_reflection,multi_agency_working",
    ),
    (
        "When a young person moves between teams, the context about places and peers gets lost in the handover.",
        "transitions,exploitation_efh",
    ),
    (
        "We are getting better at mapping the places and friendships that matter, not only the family.",
        "exploitation_efh,good_practice",
    ),
    ("Caseloads make it hard to find time for the changes the review asks of us.", "leadership_culture"),
    (
        "It helped that leaders talked about learning rather than blame when the review was published.",
        "leadership_culture,wellbeing_impact",
    ),
    (
        "Our information governance lead showed the team that we can share information to keep a child safe.",
        "information_sharing,good_practice",
    ),
    (
        "Since the information governance lead came to our team meeting, I share information with health sooner.",
        "information_sharing",
    ),
    (
        "With the escalation flowchart on the wall, newer colleagues now raise a concern the same week.",
        "escalation_challenge,good_practice",
    ),
    (
        "I used the escalation flowchart for the first time and the disagreement was settled within days.",
        "escalation_challenge",
    ),
    (
        "Group supervision finally gives us room to think about what a normal day is like for the children.",
        "supervision_reflection,voice_of_child",
    ),
    (
        "My manager protects room to think in supervision, and leaders talk about learning rather than blame.",
        "supervision_reflection,leadership_culture",
    ),
    (
        "Asking a young person what a normal day is like for them changed how I plan my visits.",
        "voice_of_child,good_practice",
    ),
    (
        "Leaders now treat reviews as learning rather than blame, which makes it easier to be honest.",
        "leadership_culture,wellbeing_impact",
    ),
]
IDENTIFYING = (
    "I keep thinking about Jayden Carter at 14 Mill Lane, KM4 7QT, and whether we asked the school enough about "
    "his absences."
)
LIVE_RISK = (
    "A boy on my caseload told me today that he is scared to go home tonight because his stepdad is still hitting him."
)
DISTRESS = "Since the review was published I can't sleep, and I keep feeling I failed that family. I'm not coping."
