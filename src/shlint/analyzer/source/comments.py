"""The comments of a YAML or HCL file, and the lines a comment stands for (for inline suppressions).

PyYAML drops comments, so YAML comments are found in the text: a ``#`` at the start of a line or after
whitespace, outside every scalar and key the position index knows (quoted strings, plain scalars, block scalars
after their header line). HCL comments come from the tree-sitter reader (``HclSource.comments``). JSON has none.

A comment at the end of a line stands for that line. A comment on a line of its own stands for the next line
that is neither blank nor a comment, and for the values that start there: each mapping member whose key starts
on that line and each list item that starts on it, to its end (a CloudFormation resource, a Terraform block
through its closing brace, an attribute, a list item). A list of repeated HCL blocks (``statement {}`` twice) starts where
its first block starts, so it never counts: each block stands for itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from shlint.analyzer.source.offsets import LINE_BREAK
from shlint.analyzer.source.tree import Index, Node, Source
from shlint.patterns import lazy_pattern
from shlint.records import record

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Final

# A "#" that can start a YAML comment: at the start of the text or of a line, or after a space or tab.
_YAML_MARK: Final = lazy_pattern(r"(?<![^ \t\r\n])#")
_BLOCK_STYLES: Final = ("|", ">")


@record
class Comment:
    """One comment: offsets of its text (from the marker to its last non-blank character) in the file."""

    start: int
    end: int
    own_line: bool  # nothing but whitespace before it on its line


def file_comments(source: Source) -> tuple[Comment, ...]:
    """Every comment of a YAML or HCL ``source``, in text order (none for JSON)."""
    if source.syntax == "yaml":
        ranges = _yaml_comment_ranges(source)
    elif source.syntax == "hcl":
        ranges = _hcl_comment_ranges(source.text, getattr(source, "comments", ()))
    else:
        return ()
    starts = line_starts(source.text)
    text = source.text
    return tuple(
        Comment(start, end, not text[starts[_line_index(starts, start)] : start].strip())
        for start, end in ranges
    )


def covered_lines(
    source: Source, comments: Sequence[Comment], chosen: Sequence[Comment]
) -> list[tuple[int, int]]:
    """For each of the ``chosen`` comments, the first and last line (1-based) it stands for.

    ``comments`` are all the comments of the file, to skip comment lines when looking for the next line of code.
    An own-line comment followed by nothing stands for its own line.
    """
    text = source.text
    starts = line_starts(text)
    ranges = [(comment.start, comment.end) for comment in comments]
    targets: dict[int, int] = {}  # offset of a comment -> line index of the code it stands for
    for comment in chosen:
        if comment.own_line:
            target = _next_code_line(text, starts, ranges, _line_index(starts, comment.end))
            if target is not None:
                targets[comment.start] = target
    ends = _value_ends(source, starts, frozenset(targets.values())) if targets else {}
    result = []
    for comment in chosen:
        target = targets.get(comment.start)
        if target is None:
            line = _line_index(starts, comment.start) + 1
            result.append((line, line))
        else:
            result.append((target + 1, max(target, ends.get(target, target)) + 1))
    return result


def line_starts(text: str) -> list[int]:
    """Offset where each line starts; line breaks as :class:`~shlint.analyzer.source.offsets.Lines` counts them."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


def _line_index(starts: Sequence[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def _line_end(text: str, starts: Sequence[int], index: int) -> int:
    """Offset of the line break that ends line ``index`` (or the end of the text)."""
    if index + 1 >= len(starts):
        return len(text)
    end = starts[index + 1]
    while end > starts[index] and text[end - 1] in "\r\n":
        end -= 1
    return end


def _next_code_line(
    text: str, starts: Sequence[int], comments: Sequence[tuple[int, int]], after: int
) -> int | None:
    """Index of the first line after line ``after`` that holds something other than whitespace and comments.

    ``comments`` are ``(start, end)`` ranges in text order.
    """
    for index in range(after + 1, len(starts)):
        line_start, line_end = starts[index], _line_end(text, starts, index)
        content = text[line_start:line_end]
        stripped = len(content) - len(content.lstrip(" \t\ufeff"))
        if stripped == len(content):
            continue  # blank
        first = line_start + stripped
        inside = bisect_right(comments, (first, len(text) + 1)) - 1
        if inside >= 0 and comments[inside][0] <= first < comments[inside][1]:
            continue  # a comment line (or a line inside an HCL block comment)
        return index
    return None


def _value_ends(source: Source, starts: Sequence[int], lines: frozenset[int]) -> dict[int, int]:
    """For each line index in ``lines``: the line index where the last value that starts on it ends."""
    ends: dict[int, int] = {}
    for start, end in _value_extents(source._index()):
        line = _line_index(starts, start)
        if line in lines and end > start:
            last = _line_index(starts, end - 1)
            if last > ends.get(line, line):
                ends[line] = last
    return ends


def _value_extents(index: Index) -> Iterator[tuple[int, int]]:
    """(start, end) of every mapping member (from its key) and list item of the position tree."""
    root = index.root
    if not isinstance(root, Node):
        return
    stack = [root]
    seen = {id(root)}
    while stack:
        node = stack.pop()
        index.expand(node)
        children: list[Node] = []
        if node.members:
            for key_start, _, child in node.members.values():
                if isinstance(child, Node):
                    children.append(child)
                    if not _is_block_list(child):
                        yield key_start, child.end
        if node.items:
            for child in node.items:
                if isinstance(child, Node):
                    children.append(child)
                    yield child.start, child.end
        for child in children:
            if id(child) not in seen:  # YAML aliases share nodes
                seen.add(id(child))
                stack.append(child)


def _is_block_list(node: Node) -> bool:
    """A list that starts where its first item starts: repeated HCL blocks, not a written ``[...]``."""
    items = node.items
    if not items:
        return False
    return isinstance(items[0], Node) and node.start == items[0].start


# -- YAML -------------------------------------------------------------------------------------------------


def _yaml_comment_ranges(source: Source) -> list[tuple[int, int]]:
    text = source.text
    if "#" not in text:
        return []
    strings = _disjoint(_yaml_scalar_ranges(source))
    string_starts = [start for start, _ in strings]
    ranges: list[tuple[int, int]] = []
    position = 0
    while True:
        found = _YAML_MARK.search(text, position)
        if found is None:
            return ranges
        mark = found.start()
        inside = bisect_right(string_starts, mark) - 1
        if inside >= 0 and strings[inside][0] <= mark < strings[inside][1]:
            position = strings[inside][1]
            continue
        line_break = LINE_BREAK.search(text, mark)
        end = line_break.start() if line_break else len(text)
        ranges.append((mark, len(text[mark:end].rstrip()) + mark))
        position = end


def _disjoint(ranges: Iterator[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted ranges with the overlapping ones joined (a tag's range lies in its scalar's)."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        elif end > start:
            joined.append((start, end))
    return joined


def _yaml_scalar_ranges(source: Source) -> Iterator[tuple[int, int]]:
    """Where the text of every scalar and key is: a ``#`` there is part of a string, never a comment.

    A block scalar's range starts after its header line, where a comment may follow the ``|`` or ``>``.
    """
    text = source.text
    index = source._index()
    root = index.root
    if not isinstance(root, Node):
        return
    stack = [root]
    seen = {id(root)}
    while stack:
        node = stack.pop()
        children: list[Node] = []
        if node.members is not None:
            for key_start, key_end, child in node.members.values():
                yield key_start, key_end
                children.append(child)
        if node.items is not None:
            children.extend(node.items)
        if node.members is None and node.items is None:
            start = node.start
            if node.style in _BLOCK_STYLES:
                header_end = LINE_BREAK.search(text, start, node.end)
                start = header_end.end() if header_end else node.end
            yield start, node.end
        for child in children:
            if isinstance(child, Node) and id(child) not in seen:
                seen.add(id(child))
                stack.append(child)


# -- HCL --------------------------------------------------------------------------------------------------


def _hcl_comment_ranges(text: str, comments: Sequence[tuple[int, str]]) -> list[tuple[int, int]]:
    """Offsets of HCL comments given as ``(line, text)`` (lines counted by LF, as the HCL reader counts them).

    A ``#`` or ``//`` comment runs to the end of its line, so it is the last occurrence of its text there.
    """
    if not comments:
        return []
    lf_starts = [0, *(match.end() for match in re.finditer("\n", text))]
    ranges = []
    for line, comment in comments:
        body = comment.rstrip()
        if not body or not 0 < line <= len(lf_starts):
            continue
        line_start = lf_starts[line - 1]
        if body.startswith("/*"):
            start = text.find(body, line_start)
        else:
            line_end = lf_starts[line] if line < len(lf_starts) else len(text)
            start = text.rfind(body, line_start, line_end)
        if start >= 0:
            ranges.append((start, start + len(body)))
    return sorted(ranges)
