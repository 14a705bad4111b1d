from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import Domain, Invitation, School, SchoolMembership, Trust, TrustMembership, User


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "urn", "schema_name", "trust", "phase", "number_on_roll", "status")
    list_filter = ("status", "phase", "trust")
    search_fields = ("name", "urn", "schema_name")
    readonly_fields = ("schema_name", "created_at", "status_changed_at")
    inlines = [DomainInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Schools are provisioned by tenants.services.school_provision (template clone).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: School | None = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()


admin.site.register(SchoolMembership)
admin.site.register(TrustMembership)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "school", "trust", "created_at", "sent_at", "accepted_at")
    exclude = ("token_hash",)
