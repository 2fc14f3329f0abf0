import backchannel


def test_api_all_is_pinned() -> None:
    assert sorted(backchannel.__all__) == [
        "Actor",
        "BackchannelError",
        "Document",
        "Entity",
        "Event",
        "Failure",
        "InputError",
        "Quote",
        "RawInput",
        "RunSummary",
        "Section",
        "Sentence",
        "Settings",
        "Store",
        "StoreError",
        "__version__",
        "evaluate_events",
        "evaluate_quotes",
        "export",
        "extract_events",
        "extract_quotes",
        "load",
        "load_settings",
        "open_store",
        "read",
        "read_text",
    ]
    for name in backchannel.__all__:
        assert hasattr(backchannel, name)


def test_api_records_are_frozen() -> None:
    import dataclasses

    section = backchannel.Section("a", 0, "body", 0, 10)
    try:
        section.start_char = 3  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("records must be frozen")


def test_api_read_text_offsets_point_into_text() -> None:
    text = "Iran’s foreign minister Ali Akbar Salehi said on Sunday that talks with the\u00a0United States could resume."
    doc = backchannel.read_text(text)
    assert doc.text == text
    assert doc.entities
    for ent in doc.entities:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
    assert [s.kind for s in doc.sections] == ["body"]
