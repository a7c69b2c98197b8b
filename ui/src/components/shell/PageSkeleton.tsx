import { Skeleton } from '../ui/Skeleton'
import { Page } from './Page'

/** PageSkeleton has the shape of a page header and two cards. */
export function PageSkeleton() {
  return (
    <Page title={<Skeleton className="h-7 w-48" />} description={<Skeleton className="mt-1 h-4 w-72" />} busy>
      <div className="space-y-4">
        <Skeleton className="h-40 w-full rounded-xl" />
        <Skeleton className="h-28 w-full rounded-xl" />
      </div>
    </Page>
  )
}
