from django.contrib import admin

from audit.admin import AuditReadsMixin
from school import models


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "timetable_weeks", "week_a_starts_on"]


class TermInline(admin.TabularInline):
    model = models.Term
    extra = 0


@admin.register(models.AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [TermInline]


class HalfTermInline(admin.TabularInline):
    model = models.HalfTerm
    extra = 0


@admin.register(models.Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]
    inlines = [HalfTermInline]


@admin.register(models.NonSchoolDay)
class NonSchoolDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "description"]
    list_filter = ["kind"]


@admin.register(models.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "starts_at", "ends_at"]


@admin.register(models.Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "capacity", "is_active"]
    search_fields = ["code", "name"]


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "head"]
    autocomplete_fields = ["head"]


@admin.register(models.Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department"]
    search_fields = ["code", "name"]


@admin.register(models.YearGroup)
class YearGroupAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "head_of_year"]
    autocomplete_fields = ["head_of_year"]


@admin.register(models.Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["code", "year_group", "tutor", "room"]
    list_filter = ["year_group"]
    autocomplete_fields = ["tutor"]


@admin.register(models.Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["staff_code", "last_name", "first_name", "department", "user", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["staff_code", "first_name", "last_name", "email"]
    autocomplete_fields = ["user"]
    # Which years a head of year or pastoral manager works with (the year they lead counts too).
    filter_horizontal = ["year_groups"]


class StudentGuardianInline(admin.TabularInline):
    model = models.StudentGuardian
    extra = 0
    autocomplete_fields = ["guardian"]


@admin.register(models.Student)
class StudentAdmin(AuditReadsMixin, admin.ModelAdmin):
    list_display = ["upn", "legal_last_name", "legal_first_name", "year_group", "form", "left_on"]
    list_filter = ["year_group", "sen_status", "left_on"]
    search_fields = ["upn", "legal_first_name", "legal_last_name", "preferred_first_name"]
    inlines = [StudentGuardianInline]


@admin.register(models.Guardian)
class GuardianAdmin(AuditReadsMixin, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "mobile", "preferred_channel"]
    search_fields = ["first_name", "last_name", "email", "source_id"]


class ClassTeacherInline(admin.TabularInline):
    model = models.ClassTeacher
    extra = 0
    autocomplete_fields = ["staff"]


class TimetableSlotInline(admin.TabularInline):
    model = models.TimetableSlot
    extra = 0
    fk_name = "teaching_class"


@admin.register(models.TeachingClass)
class TeachingClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subject", "year_group"]
    list_filter = ["year_group", "subject"]
    search_fields = ["code", "name"]
    inlines = [ClassTeacherInline, TimetableSlotInline]


@admin.register(models.ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "source_name", "format", "status", "started_by"]
    readonly_fields = [f.name for f in models.ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False
