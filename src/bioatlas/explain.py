"""`bioatlas explain`: every claim with the sentence it came from and the method that found it."""

from __future__ import annotations

from bioatlas.model import Document


def _sentence(doc: Document, start: int, end: int, width: int = 160) -> str:
    """The sentence around a span, with the span in [brackets]."""
    left = max(doc.text.rfind(stop, 0, start) for stop in (". ", "。", "\n", "! ", "? ", "！", "？"))
    left = 0 if left < 0 else left + 1
    rights = [i for i in (doc.text.find(stop, end) for stop in (". ", "。", "\n", "! ", "? ", "！", "？")) if i >= 0]
    right = min(rights) + 1 if rights else len(doc.text)
    left, right = max(left, start - width), min(right, end + width)
    return (doc.text[left:start] + "[" + doc.text[start:end] + "]" + doc.text[end:right]).strip()


def explain_document(doc: Document) -> str:
    lines = [f"== {doc.id}  ({', '.join(doc.languages)})  {doc.title or ''}".rstrip()]
    if doc.published:
        lines.append(f"   published {doc.published}")
    lines.append(f"-- entities ({len(doc.entities)})")
    names = {e.id: e.name for e in doc.entities}
    for ent in doc.entities:
        source = ent.reference or "found in the text"
        extra = f", role: {ent.role}" if ent.role else ""
        lines.append(f"{ent.id} {ent.type}: {ent.name} [{ent.country or '?'}]{extra}  ({ent.method}; {source})")
        for m in ent.mentions:
            lines.append(f"     {m.method:<9} {m.language or '?':<7} {_sentence(doc, m.start, m.end)}")
        for note in ent.notes:
            lines.append(f"     note: {note}")
    lines.append(f"-- figures ({len(doc.figures)})")
    for f in doc.figures:
        subject = names.get(f.subject or "", "no subject")
        value = int(f.value) if float(f.value).is_integer() else f.value
        lines.append(f"   {value} {f.unit} — {f.what} (about {subject}; {f.method})")
        lines.append(f"     {_sentence(doc, f.start, f.end)}")
    lines.append(f"-- events ({len(doc.events)})")
    for ev in doc.events:
        roles = "; ".join(
            f"{role}: "
            + (", ".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(value, value))
            for role, value in ev.roles.items()
        )
        money = f"; {ev.amount:,.0f} {ev.currency}" if ev.amount is not None else ""
        lines.append(f"   {ev.type} ({ev.date or 'undated'}) {roles}{money}  ({ev.method})")
        lines.append(f'     "{ev.evidence}"')
    return "\n".join(lines)
