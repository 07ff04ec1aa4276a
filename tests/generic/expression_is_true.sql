{#- Package-free twin of dbt_utils.expression_is_true: returns the rows where
    the expression is false or NULL. -#}
{% test expression_is_true(model, expression, column_name=none, where=none) %}

    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
    {%- if where %} and ({{ where }}){% endif %}

{% endtest %}
