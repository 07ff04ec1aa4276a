with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

erasure_requests as (

    select * from {{ ref('stg_privacy__erasure_requests') }}

),

erased_emails as (

    {#- An erasure request names a person, not one id: the e-mail hash of
        the customer it names also catches the same person re-exported
        under another id. Ids are compared after clean_key, so padding and
        (with audience_segments_case_insensitive_ids) case do not matter. -#}
    select distinct customers.email_hash
    from customers
    inner join erasure_requests
        on customers.customer_id = erasure_requests.customer_id
    where customers.email_hash is not null

),

final as (

    {#- The person spine of every mart and fact: staged customers minus
        anyone who asked to be forgotten. -#}
    select customers.*
    from customers
    where
        customers.customer_id not in (select erasure_requests.customer_id from erasure_requests)
        and (
            customers.email_hash is null
            or customers.email_hash not in (select erased_emails.email_hash from erased_emails)
        )

)

select * from final
