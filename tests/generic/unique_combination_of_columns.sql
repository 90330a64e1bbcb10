{% test unique_combination_of_columns(model, combination_of_columns) %}
{#- every combination of the columns occurs at most once (our own: dbt_utils is not installed) -#}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
