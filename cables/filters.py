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
- ``sort``: ``relevance`` (the default with a search), ``newest`` (the default without) or
  ``oldest``.

Different parameters combine with AND.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.http import urlencode

from .models import Cable, CableCaveat, CableTag, Person, Tag
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
}
FILTER_PARAMS = tuple(PARAM_LABELS)
OTHER_LABELS = {"sort": "Sort"}

SORT_RELEVANCE, SORT_NEWEST, SORT_OLDEST = "relevance", "newest", "oldest"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Most relevant first"),
    (SORT_NEWEST, "Newest first"),
    (SORT_OLDEST, "Oldest first"),
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
        error_messages={"invalid_choice": "Choose relevance, newest or oldest."},
    )

    class Meta:
        model = Cable
        fields: list[str] = []
        form = CableFilterForm

    # Years and months are matched as half-open UTC ranges on ``created`` rather than with
    # ``created__year``: the same result in any TIME_ZONE setting, and they use the index.

    def filter_year(self, queryset: QuerySet, name: str, years: list[int]) -> QuerySet:
        if not years:
            return queryset
        q = Q()
        for year in years:
            q |= Q(
                created__gte=utc_start(date(year, 1, 1)),
                created__lt=utc_start(date(year + 1, 1, 1)),
            )
        return queryset.filter(q)

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
        """``queryset`` in the requested order (relevance, newest or oldest)."""
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

    def selected_year(self) -> int | None:
        """The year, when exactly one (valid) year is selected: the month facet's year."""
        years = self.cleaned.get("year") or []
        return years[0] if len(years) == 1 else None


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


class ToggleLinks:
    """``query_toggle`` for the many values of the facets of one selection: the same query
    strings, without copying the QueryDict for each value (hundreds per page)."""

    def __init__(self, query: QueryDict) -> None:
        self.lists = [(name, list(values)) for name, values in query.lists() if name != "page"]
        self._encoded: dict[tuple[str, str], str] = {}

    def _pair(self, key: str, value: str) -> str:
        pair = (key, value)
        if pair not in self._encoded:
            self._encoded[pair] = urlencode([pair])
        return self._encoded[pair]

    def toggle(self, name: str, value: Any) -> str:
        value = str(value)
        lists, found = [], False
        for key, values in self.lists:
            if key == name:
                found = True
                values = [v for v in values if v != value] if value in values else [*values, value]
            lists.append((key, values))
        if not found:
            lists.append((name, [value]))
        # As ``_normalise``: a month needs exactly one year.
        years = [y for key, values in lists if key == "year" for y in values if y.strip()]
        if len(years) != 1:
            lists = [(key, values) for key, values in lists if key != "month"]
        encoded = "&".join(self._pair(key, v) for key, values in lists for v in values)
        return f"?{encoded}" if encoded else ""


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
