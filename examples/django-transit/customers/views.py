from django.shortcuts import get_object_or_404, render

from .models import Customer


def customer_detail(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    return render(request, 'customers/detail.html', {'customer': customer})
