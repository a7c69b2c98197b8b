import { useState } from 'react'
import { useNavigate } from 'react-router'
import { useCreateTenant } from '../lib/queries'
import { slugify, tenantSchema } from '../lib/schemas'
import { useForm } from '../lib/form'
import { Page } from '../components/shell/Page'
import { Button, LinkButton } from '../components/ui/Button'
import { Section } from '../components/ui/Card'
import { Field, FormError } from '../components/ui/Field'
import { toast } from '../components/ui/Toast'

/** NewTenant creates a workspace; the slug follows the name until edited by hand. */
export default function NewTenant() {
  const form = useForm(tenantSchema, { name: '', slug: '' })
  const [slugEdited, setSlugEdited] = useState(false)
  const create = useCreateTenant()
  const navigate = useNavigate()
  const onSubmit = form.submit(async (data, el) => {
    try {
      const t = await create.mutateAsync(data)
      toast('Workspace created', { description: `${t.name} is ready. Invite your team from Members.` })
      void navigate(`/t/${t.slug}`)
    } catch (err) {
      form.fail(err, el)
    }
  })
  return (
    <Page title="New workspace" description="A workspace holds a team’s members, discussions and settings. You will be its owner.">
      <form noValidate onSubmit={onSubmit} aria-label="New workspace">
        <Section
          title="Workspace details"
          footer={
            <>
              <LinkButton to="/?all" variant="ghost">
                Cancel
              </LinkButton>
              <Button type="submit" variant="primary" loading={create.isPending}>
                Create workspace
              </Button>
            </>
          }
        >
          <div className="space-y-5">
            <FormError message={form.formError} />
            <Field
              label="Name"
              autoFocus
              placeholder="Acme Research"
              {...form.field('name')}
              onChange={(e) => {
                form.set('name', e.target.value)
                if (!slugEdited) form.set('slug', slugify(e.target.value))
              }}
            />
            <Field
              label="Address"
              prefix="/t/"
              placeholder="acme-research"
              spellCheck={false}
              autoCapitalize="off"
              hint="3–40 lowercase letters, digits and hyphens. You can change it later."
              {...form.field('slug')}
              onChange={(e) => {
                setSlugEdited(true)
                form.set('slug', e.target.value)
              }}
            />
          </div>
        </Section>
      </form>
    </Page>
  )
}
