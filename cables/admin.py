"""A read-mostly admin: cables come from ``import_cables``, so their content is shown,
not edited; tags (descriptions) and people (names) can be corrected by hand."""

from django.contrib import admin
from django.db import transaction

from .models import (
    ArchiveState,
    Cable,
    CableTag,
    Mention,
    Paragraph,
    Person,
    Recipient,
    Reference,
    Source,
    Tag,
    WordCounts,
)


class ChangesArchive(admin.ModelAdmin):
    """An edit by hand changes what the public pages show: the pages cached before it
    (``cables.cache``) go stale, as after an import. The frequent words' counts
    (``WordCounts``) stay with the new version unless cables were deleted: nothing else
    here changes what a search counts (a cable's text and fields are read-only)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self._archive_changed(cables_deleted=False)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._archive_changed(cables_deleted=self.model is Cable)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        self._archive_changed(cables_deleted=self.model is Cable)

    @staticmethod
    def _archive_changed(cables_deleted: bool) -> None:
        with transaction.atomic():
            # The bump locks the version's row until the end: the version it replaced is
            # the one before it, whatever another edit or an import did meanwhile.
            ArchiveState.bump()
            now = ArchiveState.current()
            if not cables_deleted:
                WordCounts.objects.filter(archive_version=now - 1).update(archive_version=now)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CableTagInline(ReadOnlyInline):
    model = CableTag
    fields = ["position", "tag"]
    readonly_fields = fields
    ordering = ["position"]


class ParagraphInline(ReadOnlyInline):
    model = Paragraph
    fields = ["position", "anchor", "number", "marking", "heading", "text"]
    readonly_fields = fields
    ordering = ["position"]


class ReferenceInline(ReadOnlyInline):
    model = Reference
    fk_name = "cable"
    fields = ["position", "letter", "text", "cited_id", "target"]
    readonly_fields = fields
    ordering = ["position"]


class RecipientInline(ReadOnlyInline):
    model = Recipient
    fields = ["position", "kind", "name", "route", "precedence"]
    readonly_fields = fields
    ordering = ["position"]


class SourceInline(ReadOnlyInline):
    model = Source
    fields = ["path", "format", "content_hash", "imported"]
    readonly_fields = fields


@admin.register(Cable)
class CableAdmin(ChangesArchive):
    list_display = ["reference_id", "created", "classification", "origin", "subject", "partial"]
    list_filter = ["classification", "partial"]
    search_fields = ["reference_id", "subject", "origin"]
    date_hierarchy = "created"
    ordering = ["-created", "reference_id"]
    list_per_page = 50
    show_full_result_count = False
    inlines = [
        CableTagInline,
        RecipientInline,
        ReferenceInline,
        ParagraphInline,
        SourceInline,
    ]
    readonly_fields = [
        field.name
        for field in Cable._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.many_to_many
        and field.name not in ("id", "search_vector", "title_vector")  # internal, unreadable
    ]
    exclude = ["search_vector", "title_vector"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(ChangesArchive):
    list_display = ["code", "description", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "description"]
    ordering = ["code"]


@admin.register(Person)
class PersonAdmin(ChangesArchive):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    ordering = ["name"]


@admin.register(Mention)
class MentionAdmin(ChangesArchive):
    list_display = ["person", "cable", "role", "paragraph"]
    list_filter = ["role"]
    search_fields = ["person__name", "cable__reference_id"]
    list_select_related = ["person", "cable", "paragraph"]
    raw_id_fields = ["person", "cable", "paragraph"]
