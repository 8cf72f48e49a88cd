"""The /cables/ selection: which query-string parameters filter the list, and how.

Every parameter is read and validated here (through the FilterSet's form); views never
touch ``request.GET`` for filtering. Values are plain codes and names, e.g.
``?tag=KZ&tag=PREL&classification=CONFIDENTIAL&origin=US+Office+Almaty&year=2006``.

- ``tag`` (repeatable): a cable must carry *every* tag given (AND).
- ``person`` (repeatable, a person's slug: ``john-ordway``): a cable must name *every*
  person given (AND), in any role (signer, classified by, named in the text).
- ``classification``, ``origin``, ``year`` (repeatable): any of the values given (OR).
- ``level`` (UNCLASSIFIED, CONFIDENTIAL, SECRET...) and ``caveat`` (NOFORN, FOR OFFICIAL USE
  ONLY...), the two parts of the classification (repeatable): any of the values given.
- ``month`` (repeatable, 1-12): any of these months, only with exactly one ``year``.
- ``date_from`` / ``date_to`` (YYYY-MM-DD): inclusive bounds on the created date, in UTC.
- ``q``: a full-text search (see ``cables.search.query`` for its syntax). Never invalid:
  whatever cannot be searched is left out with a notice.
- ``exclude_tag``, ``exclude_person``, ``exclude_origin``, ``exclude_classification``,
  ``exclude_level``, ``exclude_caveat``, ``exclude_year`` (repeatable): leave out every
  cable with any of the values given (``?tag=KZ&exclude_tag=PREL``: tagged KZ, not PREL).
- ``sort``: ``relevance`` (the default with a search), ``newest`` (the default without),
  ``oldest`` or ``cited`` (the most cited first: cables in the archive citing them).

Different parameters combine with AND.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property

from .models import LEVEL_ORDER, Cable, CableCaveat, CablePerson, CableTag, Person, Tag
from .search import ParsedQuery, parse_query

# Parameter name -> label, in the order chips are shown.
PARAM_LABELS: dict[str, str] = {
    "tag": "Tag",
    "person": "Person",
    "classification": "Classification",
    "level": "Level",
    "caveat": "Caveat",
    "origin": "Origin",
    "year": "Year",
    "month": "Month",
    "date_from": "From",
    "date_to": "To",
    "q": "Search",
    "exclude_tag": "Not tag",
    "exclude_person": "Not person",
    "exclude_classification": "Not classification",
    "exclude_level": "Not level",
    "exclude_caveat": "Not caveat",
    "exclude_origin": "Not origin",
    "exclude_year": "Not year",
}
FILTER_PARAMS = tuple(PARAM_LABELS)
OTHER_LABELS = {"sort": "Sort"}
# The facets whose values can be left out (``exclude_<facet>``), and the parameter of each.
EXCLUDABLE = ("tag", "person", "classification", "level", "caveat", "origin", "year")
EXCLUDE_PARAMS = {name: f"exclude_{name}" for name in EXCLUDABLE}

SORT_RELEVANCE, SORT_NEWEST, SORT_OLDEST, SORT_CITED = "relevance", "newest", "oldest", "cited"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Most relevant first"),
    (SORT_NEWEST, "Newest first"),
    (SORT_OLDEST, "Oldest first"),
    (SORT_CITED, "Most cited first"),
]
# How many cables a reference id typed without its year may stand for, listed.
REFERENCE_LIMIT = 50

MIN_YEAR, MAX_YEAR = 1900, 2100
# The most values a repeatable parameter takes (each tag or person is a subquery).
MAX_VALUES = 20


def month_name(month: int) -> str:
    return calendar.month_name[month]


def utc_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime.combine(day, time.min, tzinfo=UTC)


class MultipleValueField(forms.Field):
    """A repeatable parameter (``?tag=A&tag=B``) whose values are free text.

    Unlike a choice field it does not need the list of valid values up front, so an
    unknown tag or origin is not a form error: it simply matches no cable. Each non-blank
    value is cleaned by ``child`` (a plain ``CharField`` by default); values are
    de-duplicated, keeping their order.
    """

    widget = forms.MultipleHiddenInput

    def __init__(self, *, child: forms.Field | None = None, **kwargs: Any) -> None:
        self.child = child or forms.CharField(max_length=200)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[Any]:
        if value in (None, ""):
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        cleaned, errors = [], []
        for raw in value:
            if raw is None or not str(raw).strip():
                continue
            try:
                item = self.child.clean(str(raw).strip())
            except ValidationError as error:
                for message in error.messages:
                    errors.append(f"“{raw}”: {message}")
                continue
            if item not in cleaned:
                cleaned.append(item)
        if len(cleaned) > MAX_VALUES:
            errors.append(f"Choose at most {MAX_VALUES} values.")
        if errors:
            raise ValidationError(errors)
        return cleaned


class MultipleValueFilter(django_filters.MultipleChoiceFilter):
    """MultipleChoiceFilter semantics (OR, or AND with ``conjoined=True``) on free values."""

    field_class = MultipleValueField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Our lookups never multiply rows (each join matches at most one row per cable),
        # so there is no need for the DISTINCT MultipleChoiceFilter adds by default.
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class SearchTextField(forms.CharField):
    """What a user typed in the search box. Never invalid: ``parse_query`` shortens it and
    ignores what it cannot use, with a notice, so the page never turns into an error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\x00", " ")


class SearchFilter(django_filters.CharFilter):
    field_class = SearchTextField


class SearchForm(forms.Form):
    """``?q=`` on a cable page: the words to highlight."""

    q = SearchTextField()

    @property
    def query(self) -> ParsedQuery:
        return parse_query(self.cleaned_data.get("q", "") if self.is_valid() else "")


class CableFilterForm(forms.Form):
    """Cross-field checks: a month only makes sense within one year, and a range must not
    end before it starts."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("month") and "year" in data and len(data["year"]) != 1:
            self.add_error("month", "Choose exactly one year to filter by month.")
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
        return data


class CableFilter(django_filters.FilterSet):
    tag = MultipleValueFilter(
        method="filter_tag", label="Tag", child=forms.CharField(max_length=32)
    )
    person = MultipleValueFilter(
        method="filter_person", label="Person", child=forms.CharField(max_length=200)
    )
    classification = MultipleValueFilter(
        field_name="classification", label="Classification", child=forms.CharField(max_length=64)
    )
    level = MultipleValueFilter(
        field_name="level", label="Level", child=forms.CharField(max_length=32)
    )
    caveat = MultipleValueFilter(
        method="filter_caveat", label="Caveat", child=forms.CharField(max_length=64)
    )
    origin = MultipleValueFilter(
        field_name="origin", label="Origin", child=forms.CharField(max_length=128)
    )
    year = MultipleValueFilter(
        method="filter_year",
        label="Year",
        child=forms.IntegerField(
            min_value=MIN_YEAR,
            max_value=MAX_YEAR,
            error_messages={"invalid": "Enter a year such as 2006."},
        ),
    )
    month = MultipleValueFilter(
        method="filter_month",
        label="Month",
        child=forms.IntegerField(
            min_value=1, max_value=12, error_messages={"invalid": "Enter a month number, 1-12."}
        ),
    )
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        label="From",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        label="To",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
    )

    q = SearchFilter(method="filter_q", label="Search")
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES,
        method="filter_sort",
        label="Sort",
        empty_label=None,
        error_messages={"invalid_choice": "Choose relevance, newest, oldest or cited."},
    )

    # Exclusions: a cable with any of the values given is left out.
    exclude_tag = MultipleValueFilter(
        method="filter_exclude_tag", label="Not tag", child=forms.CharField(max_length=32)
    )
    exclude_person = MultipleValueFilter(
        method="filter_exclude_person", label="Not person", child=forms.CharField(max_length=200)
    )
    exclude_classification = MultipleValueFilter(
        field_name="classification",
        exclude=True,
        label="Not classification",
        child=forms.CharField(max_length=64),
    )
    exclude_level = MultipleValueFilter(
        field_name="level", exclude=True, label="Not level", child=forms.CharField(max_length=32)
    )
    exclude_caveat = MultipleValueFilter(
        method="filter_exclude_caveat", label="Not caveat", child=forms.CharField(max_length=64)
    )
    exclude_origin = MultipleValueFilter(
        field_name="origin", exclude=True, label="Not origin", child=forms.CharField(max_length=128)
    )
    exclude_year = MultipleValueFilter(
        method="filter_exclude_year",
        label="Not year",
        child=forms.IntegerField(
            min_value=MIN_YEAR,
            max_value=MAX_YEAR,
            error_messages={"invalid": "Enter a year such as 2006."},
        ),
    )

    class Meta:
        model = Cable
        fields: list[str] = []
        form = CableFilterForm

    # Years and months are matched as half-open UTC ranges on ``created`` rather than with
    # ``created__year``: the same result in any TIME_ZONE setting, and they use the index.

    @staticmethod
    def _years_q(years: list[int]) -> Q:
        q = Q()
        for year in years:
            q |= Q(
                created__gte=utc_start(date(year, 1, 1)),
                created__lt=utc_start(date(year + 1, 1, 1)),
            )
        return q

    def filter_year(self, queryset: QuerySet, name: str, years: list[int]) -> QuerySet:
        if not years:
            return queryset
        return queryset.filter(self._years_q(years))

    def filter_exclude_year(self, queryset: QuerySet, name: str, years: list[int]) -> QuerySet:
        if not years:
            return queryset
        return queryset.exclude(self._years_q(years))

    # Each exclusion of a many-valued facet is a NOT EXISTS (an anti-join, where NOT IN
    # (subquery) could not be one) on its (cable, value) or (value, cable) index:
    # cabletag_unique, cableperson_unique, cablecaveat_unique.

    @staticmethod
    def _without(queryset: QuerySet, rows: QuerySet) -> QuerySet:
        """The cables of ``queryset`` with no row in ``rows`` (rows with a ``cable``)."""
        return queryset.filter(~Exists(rows.filter(cable=OuterRef("pk"))))

    def filter_exclude_tag(self, queryset: QuerySet, name: str, codes: list[str]) -> QuerySet:
        if not codes:
            return queryset
        return self._without(queryset, CableTag.objects.filter(tag__code__in=codes))

    def filter_exclude_person(self, queryset: QuerySet, name: str, slugs: list[str]) -> QuerySet:
        if not slugs:
            return queryset
        return self._without(queryset, CablePerson.objects.filter(person__slug__in=slugs))

    def filter_exclude_caveat(self, queryset: QuerySet, name: str, caveats: list[str]) -> QuerySet:
        if not caveats:
            return queryset
        return self._without(queryset, CableCaveat.objects.filter(caveat__in=caveats))

    def filter_tag(self, queryset: QuerySet, name: str, codes: list[str]) -> QuerySet:
        """Cables carrying every one of these tags: a subquery each (a join each made
        PostgreSQL's planner take minutes over twenty tags, and SQLite joins at most 64
        tables)."""
        for code in codes:
            queryset = queryset.filter(
                id__in=CableTag.objects.filter(tag__code=code).values("cable_id")
            )
        return queryset

    def filter_person(self, queryset: QuerySet, name: str, slugs: list[str]) -> QuerySet:
        """Cables naming every one of these people (one subquery each: a person named in
        several paragraphs of a cable is still one row)."""
        for slug in slugs:
            queryset = queryset.naming(slug)
        return queryset

    def filter_caveat(self, queryset: QuerySet, name: str, caveats: list[str]) -> QuerySet:
        """Cables with any of these caveats (a subquery: a cable with two of them is still
        one row)."""
        if not caveats:
            return queryset
        return queryset.filter(
            id__in=CableCaveat.objects.filter(caveat__in=caveats).values("cable_id")
        )

    def filter_month(self, queryset: QuerySet, name: str, months: list[int]) -> QuerySet:
        years = self.form.cleaned_data.get("year") or []
        if not months or len(years) != 1:
            return queryset
        (year,) = years
        q = Q()
        for month in months:
            start = date(year, month, 1)
            end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            q |= Q(created__gte=utc_start(start), created__lt=utc_start(end))
        return queryset.filter(q)

    def filter_date_from(self, queryset: QuerySet, name: str, day: date | None) -> QuerySet:
        if not day:
            return queryset
        return queryset.filter(created__gte=utc_start(day))

    def filter_date_to(self, queryset: QuerySet, name: str, day: date | None) -> QuerySet:
        if not day:
            return queryset
        if day == date.max:  # 9999-12-31: the day after is past the last date
            return queryset
        return queryset.filter(created__lt=utc_start(day + timedelta(days=1)))

    # Full-text search. The words are looked for with ``Cable.objects.search``; a reference id
    # typed alone (06ALMATY2803, ALMATY 2803) selects the cables with that id instead.

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        matches = self.reference_matches
        if matches:
            return queryset.filter(reference_id__in=matches)
        if not self.search_query.searchable:
            return queryset  # nothing to look for: the page says so, the list stays
        return queryset.search(self.search_query)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # ordering is not filtering: see ``sorted``

    @cached_property
    def search_query(self) -> ParsedQuery:
        return parse_query(self.cleaned.get("q") or "")

    @cached_property
    def reference_matches(self) -> list[str]:
        """The ids of the cables the query names, when it is a reference id typed alone
        (one query, only for queries of that shape)."""
        guess = self.search_query.reference
        if guess is None:
            return []
        return list(
            Cable.objects.with_reference(guess).values_list("reference_id", flat=True)[
                :REFERENCE_LIMIT
            ]
        )

    @property
    def filtered_besides_search(self) -> bool:
        """Whether any parameter other than the search narrows the selection."""
        return any(
            value not in (None, "", [], ())
            for name, value in self.cleaned.items()
            if name not in ("q", "sort")
        )

    @property
    def searching(self) -> bool:
        """Whether the selection is a full-text search (rather than browsing or ids)."""
        return self.search_query.searchable and not self.reference_matches

    @property
    def sort_order(self) -> str:
        sort = self.cleaned.get("sort") or ""
        if sort == SORT_RELEVANCE and not self.searching:
            sort = ""
        return sort or (SORT_RELEVANCE if self.searching else SORT_NEWEST)

    def sorted(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` in the requested order (relevance, newest, oldest or cited)."""
        return queryset.sorted_by(self.sort_order, self.search_query if self.searching else None)

    # --- what the views need to know about the selection -------------------------------

    @property
    def cleaned(self) -> dict[str, Any]:
        """The valid part of the selection (invalid parameters are left out)."""
        self.errors  # noqa: B018 - runs validation
        return getattr(self.form, "cleaned_data", {})

    def error_messages(self) -> list[str]:
        """One readable sentence per invalid parameter."""
        messages = []
        for name, errors in self.errors.items():
            label = PARAM_LABELS.get(name) or OTHER_LABELS.get(name, name)
            for message in errors:
                messages.append(f"{label}: {message}")
        return messages

    def describe(self, person_names: dict[str, str] | None = None) -> str:
        """The selection in one plain sentence, from the valid parameters:
        ``Confidential cables from US Office Almaty tagged KZ, 2006, not tagged PREL.``
        Plain text (the template escapes it); ``person_names`` names people by slug."""
        return describe_selection(self.cleaned, person_names or {})

    def selected_year(self) -> int | None:
        """The year, when exactly one (valid) year is selected: the month facet's year."""
        years = self.cleaned.get("year") or []
        return years[0] if len(years) == 1 else None


# --- the selection in words ---------------------------------------------------------------


def _any_of(values: list[Any]) -> str:
    """``a``, ``a or b``, ``a, b or c`` (nothing: "")."""
    values = [str(v) for v in values]
    if not values:
        return ""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} or {values[-1]}"


def _all_of(values: list[Any]) -> str:
    """``a``, ``a and b``, ``a, b and c`` (nothing: "")."""
    values = [str(v) for v in values]
    if not values:
        return ""
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} and {values[-1]}"


def _adjective(classification: str) -> str:
    """``CONFIDENTIAL`` -> ``confidential``; a classification with caveats stays as written
    (``CONFIDENTIAL//NOFORN``)."""
    if classification in LEVEL_ORDER:
        return classification.lower()
    return classification


def describe_selection(cleaned: dict[str, Any], person_names: dict[str, str]) -> str:
    """``cleaned``: the FilterSet's valid parameters. The sentence is built in this order:
    levels and classifications as adjectives ("Confidential cables"), then where from
    ("from US Office Almaty"), tags ("tagged KZ and PREL": all of them), people ("naming
    John Ordway"), caveats ("marked NOFORN"), the search ("matching “oil”"), then when
    ("2006", "March 2006", "sent 2006-01-01 to 2006-06-30"), then what is left out ("not
    tagged PREL", "not from Embassy Moscow", ...). Alternatives of one parameter are joined
    with "or", tags and people (which must all match) with "and"."""

    def get(name: str) -> list[Any]:
        return list(cleaned.get(name) or [])

    def name_of(slug: str) -> str:
        return person_names.get(slug, slug)

    adjectives = [
        _any_of([_adjective(v) for v in get(name)]) for name in ("level", "classification")
    ]
    adjectives = [a for a in adjectives if a]
    head = f"{', '.join(adjectives)} cables" if adjectives else "cables"
    parts = [head]
    if get("origin"):
        parts.append(f"from {_any_of(get('origin'))}")
    if get("tag"):
        parts.append(f"tagged {_all_of(get('tag'))}")
    if get("person"):
        parts.append(f"naming {_all_of([name_of(s) for s in get('person')])}")
    if get("caveat"):
        parts.append(f"marked {_any_of(get('caveat'))}")
    q = (cleaned.get("q") or "").strip()
    if q:
        parts.append(f"matching “{q}”")
    clauses = [" ".join(parts)]
    years, months = get("year"), get("month")
    if years and months and len(years) == 1:
        clauses.append(f"{_any_of([month_name(m) for m in sorted(months)])} {years[0]}")
    elif years:
        clauses.append(_any_of(sorted(years)))
    date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
    if date_from and date_to:
        clauses.append(f"sent {date_from.isoformat()} to {date_to.isoformat()}")
    elif date_from:
        clauses.append(f"sent on or after {date_from.isoformat()}")
    elif date_to:
        clauses.append(f"sent on or before {date_to.isoformat()}")
    exclusions = (
        ("exclude_level", "not", _adjective),
        ("exclude_classification", "not classified", str),
        ("exclude_origin", "not from", str),
        ("exclude_tag", "not tagged", str),
        ("exclude_person", "not naming", name_of),
        ("exclude_caveat", "not marked", str),
        ("exclude_year", "not from", str),
    )
    for name, words, show in exclusions:
        values = get(name)
        if name == "exclude_year":
            values = sorted(values)
        if values:
            clauses.append(f"{words} {_any_of([show(v) for v in values])}")
    sentence = ", ".join(clauses)
    if sentence == "cables":
        sentence = "all cables"
    return sentence[0].upper() + sentence[1:] + "."


# --- links that change the selection by one value -------------------------------------


def _encode(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def _normalise(params: QueryDict) -> QueryDict:
    """Drop the page number (a new selection starts on page 1) and a month that no longer
    has exactly one year to belong to."""
    params.pop("page", None)
    if "month" in params and len([y for y in params.getlist("year") if y.strip()]) != 1:
        params.pop("month")
    return params


def query_with(query: QueryDict, name: str, value: Any) -> str:
    """The query string for the current selection plus ``name=value``."""
    params = query.copy()
    value = str(value)
    if value not in params.getlist(name):
        params.appendlist(name, value)
    return _encode(_normalise(params))


def query_without(query: QueryDict, name: str, value: Any) -> str:
    """The query string for the current selection without that one ``name=value``."""
    params = query.copy()
    value = str(value)
    params.setlist(name, [v for v in params.getlist(name) if v != value])
    return _encode(_normalise(params))


def query_replace(query: QueryDict, name: str, value: Any) -> str:
    """The query string for the current selection with ``name`` set to ``value`` alone."""
    params = query.copy()
    params.setlist(name, [str(value)])
    return _encode(_normalise(params))


def query_toggle(query: QueryDict, name: str, value: Any) -> str:
    """Remove ``name=value`` when it is selected, add it otherwise."""
    if str(value) in query.getlist(name):
        return query_without(query, name, value)
    return query_with(query, name, value)


def _encoded(key: str, value: str) -> str:
    """What ``urlencode([(key, value)])`` gives, without its checks of every value's type."""
    return f"{quote_plus(key)}={quote_plus(value)}"


# The facet values added to a selection, kept between pages (the same ones come back page
# after page); never what a request brings (``?q=`` and any other parameter of any length
# would fill it).
_facet_pair = lru_cache(maxsize=16384)(_encoded)


class ToggleLinks:
    """``query_toggle`` for the many values of the facets of one selection: the same query
    strings, without copying the QueryDict for each value (hundreds per page).

    Their characters are those of ``quote_plus`` and ``&``, ``=`` and ``?``: in HTML, only
    the ``&`` needs escaping (``html_query``)."""

    def __init__(self, query: QueryDict) -> None:
        self.lists = [(name, list(values)) for name, values in query.lists() if name != "page"]
        self._encoded: dict[tuple[str, str], str] = {}  # the request's own, for this page
        self.names = {name for name, _ in self.lists}
        normalised = self._normalised(self.lists)
        # The selection as it is, for a value of a parameter it does not use yet: most of
        # a page's links (a value appended at the end), built without walking the lists.
        self._base = self._join(normalised)
        # For a value added to a parameter it uses (another tag beside ?tag=PREL): the
        # query strings before and after the place it goes (after that parameter's values).
        self._around: dict[str, tuple[str, str]] = {}
        for place, (key, _) in enumerate(normalised):
            self._around[key] = (
                self._join(normalised[: place + 1]),
                self._join(normalised[place + 1 :]),
            )
        self._values = {name: set(values) for name, values in self.lists}

    def _pair(self, key: str, value: str) -> str:
        pair = (key, value)
        if pair not in self._encoded:
            self._encoded[pair] = _encoded(key, value)
        return self._encoded[pair]

    def toggle(self, name: str, value: Any) -> str:
        """The query string with ``name=value`` added, or removed when it is selected;
        ``name`` a facet's parameter and ``value`` one of its values."""
        value = str(value)
        if name not in ("year", "month"):
            if name not in self.names:
                pair = _facet_pair(name, value)
                return f"?{self._base}&{pair}" if self._base else f"?{pair}"
            if value not in self._values[name] and name in self._around:
                before, after = self._around[name]
                pair = _facet_pair(name, value)
                return f"?{before}&{pair}&{after}" if after else f"?{before}&{pair}"
        lists, found = [], False
        for key, values in self.lists:
            if key == name:
                found = True
                values = [v for v in values if v != value] if value in values else [*values, value]
            lists.append((key, values))
        if not found:
            lists.append((name, [value]))
        encoded = self._join(self._normalised(lists))
        return f"?{encoded}" if encoded else ""

    @staticmethod
    def _normalised(lists: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
        """As ``_normalise``: a month needs exactly one year."""
        years = [y for key, values in lists if key == "year" for y in values if y.strip()]
        if len(years) != 1:
            return [(key, values) for key, values in lists if key != "month"]
        return lists

    def _join(self, lists: list[tuple[str, list[str]]]) -> str:
        return "&".join(self._pair(key, v) for key, values in lists for v in values)


def html_query(query: str) -> str:
    """A query string of ``ToggleLinks``, escaped for an HTML attribute."""
    return query.replace("&", "&amp;")


def query_page(query: QueryDict, page: int) -> str:
    """The query string for another page of the same selection."""
    params = query.copy()
    params.pop("page", None)
    if page != 1:
        params["page"] = str(page)
    return _encode(params)


class TagIndexFilter(django_filters.FilterSet):
    """``/tags/?kind=country``: the tags of one kind (subject, country, program,
    organisation); all tags without it."""

    kind = django_filters.ChoiceFilter(
        field_name="kind",
        choices=Tag.KIND_CHOICES,
        label="Kind",
        error_messages={"invalid_choice": "Choose subject, country, program or organisation."},
    )

    class Meta:
        model = Tag
        fields: list[str] = []


class PersonIndexFilter(django_filters.FilterSet):
    """``/people/?name=ordway``: the people whose name or one of whose spellings contains
    the text (any case); everyone without it."""

    name = django_filters.CharFilter(method="filter_name", label="Name", max_length=200)

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.named_like(value) if value else queryset
