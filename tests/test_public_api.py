import citekit


def test_all_is_sorted_and_complete():
    assert citekit.__all__ == sorted(citekit.__all__)
    public = {name for name in vars(citekit) if not name.startswith("_")}
    modules = {
        "api",
        "errors",
        "model",
        "registry",
        "cli",
        "readers",
        "writers",
        "syntax",
        "mapping",
        "styles",
        "formatting",
        "roundtrips",
        "checks",
        "cited",
        "safe_xml",
    }
    assert public - modules - {"annotations"} <= set(citekit.__all__)
    for name in citekit.__all__:
        assert hasattr(citekit, name)


def test_every_public_object_has_a_docstring():
    for name in citekit.__all__:
        if name.startswith("__"):
            continue
        assert getattr(citekit, name).__doc__, name
