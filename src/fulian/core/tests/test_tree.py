import pytest

from fulian.core.tree import ancestor_paths, next_path, segment, subtree_q


@pytest.mark.parametrize(
    ("path", "upper"),
    [("0001", "0002"), ("00010009", "00010010"), ("00019999", "00020000"), ("9999", None), ("0999", "1000")],
)
def test_next_path_is_the_first_path_after_the_subtree(path, upper):
    assert next_path(path) == upper


def test_subtree_range_holds_descendants_and_nothing_else():
    root = "00010002"
    inside = ["00010002", "000100020001", "0001000200019999", "000100029999"]
    outside = ["0001", "00010001", "00010003", "000100010002", "0002"]
    upper = next_path(root)
    assert all(root <= p < upper for p in inside)
    assert not any(root <= p < upper for p in outside)


def test_subtree_q_of_a_field():
    q = subtree_q("0001", "unit__path")
    assert dict(q.children) == {"unit__path__gte": "0001", "unit__path__lt": "0002"}


def test_ancestor_paths_root_first():
    assert ancestor_paths("000100020003") == ["0001", "00010002", "000100020003"]


def test_segment_refuses_out_of_range_numbers():
    with pytest.raises(ValueError):
        segment(10000)
    with pytest.raises(ValueError):
        segment(0)
