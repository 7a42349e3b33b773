"""What the simulated people write: plain, varied questions of the kind the service
is for (several roles and topics, bokmål and some nynorsk, a few short follow-ups).

Deliberately no crisis, counsellor requests, testing or legal questions: those hand
the conversation over, and a load test should measure ordinary turns. Written for
the benchmark, not taken from the evaluation set.
"""
from __future__ import annotations

MESSAGES: tuple[str, ...] = (
    "Jeg er avdelingsleder og lurer på hvordan jeg kan følge opp en medarbeider som jobber hjemmefra",
    "En kollega har virket sliten og uopplagt på morgenmøtene i det siste, hva bør jeg gjøre?",
    "Hvordan tar jeg opp en bekymring med noen i teamet mitt uten at det blir pinlig?",
    "Samboeren min drikker mer enn før etter at han begynte å jobbe hjemme",
    "Hva er egentlig en Akan-avtale?",
    "Jeg har fått tilbud om en Akan-avtale på jobben, er det frivillig?",
    "Hvilke tegn skal jeg se etter hvis jeg tror noen har et problem med pengespill?",
    "Jeg jobber som bedriftssykepleier. Hva anbefaler dere for oppfølging på hjemmekontor?",
    "Som verneombud vil jeg vite hva en god rusmiddelpolicy bør inneholde",
    "Vi skal ha julebord, hva bør vi tenke på når det gjelder alkohol?",
    "Jeg er redd for å få tilbakefall nå som jeg sitter mye alene hjemme",
    "Kan samtalen gjøres på video, eller bør den tas ansikt til ansikt?",
    "Min far bruker mye beroligende tabletter og har vært mye borte fra jobben",
    "Hvor lenge varer en Akan-avtale vanligvis?",
    "Hvem sitter i teamet rundt en Akan-avtale?",
    "Kollegaen min lukter alkohol etter lunsj noen dager, hva skal jeg gjøre?",
    "Eg er tillitsvald og lurer på korleis vi kan støtte ein kollega som slit",
    "Korleis kan eg som leiar halde kontakt med tilsette som jobbar heimanfrå?",
    "Jeg er fastlege og har en pasient med en Akan-avtale",
    "Hvordan bør vi informere alle ansatte om rusmiddelpolitikken vår?",
    "Det gjelder meg selv, jeg tror jeg drikker for mye på kveldene",
    "Hvordan kan jeg ha en god dagsstruktur på hjemmekontoret når jeg er i oppfølging?",
    "Finnes det digitale verktøy som kan hjelpe meg å holde meg rusfri?",
    "En ansatt har hatt mye korttidsfravær på mandager, kan det være et tegn?",
    "Hva kan HR gjøre når en leder er bekymret for en medarbeider?",
    "Jeg er personalsjef. Hvordan følger vi opp en Akan-avtale når alle jobber digitalt?",
    "Broren min spiller mye på nett og har begynt å låne penger av kolleger",
    "Hvordan spør jeg en kollega om hvordan det egentlig går med ham?",
    "takk, det var nyttig",
    "Jeg er leder",
    "Det handler om hjemmekontor",
    "Hva sier materialet om sosiale arrangementer på jobb?",
    "Vi i bedriftshelsetjenesten vil vite mer om tidlige signaler",
    "Er en Akan-avtale taushetsbelagt overfor kollegene?",
    "Hvordan kan jeg som kollega støtte noen som har hatt et tilbakefall?",
    "Hei! Jeg lurer på hva dere kan hjelpe med",
)
