app_name = "offers"

urlpatterns: list = []
