app_name = "immersion"

urlpatterns: list = []
