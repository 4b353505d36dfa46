from django.contrib import admin

from blog.models import Post


@admin.action(description="Publish")
def publish(modeladmin, request, queryset):  # reach: request
    queryset.update(published=True)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    actions = [publish]
    list_display = ["title", "word_count"]

    def word_count(self, obj):  # reach: request
        return len(obj.title.split())

    def save_model(self, request, obj, form, change):  # reach: request
        super().save_model(request, obj, form, change)
