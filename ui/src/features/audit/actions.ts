// The audit log's actions (app/server's a.record calls), their readable
// labels and a badge colour per family (the part before the dot).

export const auditActions = [
  'auth.signin',
  'auth.signin_failed',
  'tenant.create',
  'tenant.update',
  'tenant.domain_verify',
  'tenant.delete',
  'member.add',
  'member.role',
  'member.remove',
  'member.leave',
  'invitation.create',
  'invitation.revoke',
  'invitation.accept',
  'invitation.decline',
  'provider.create',
  'provider.update',
  'provider.delete',
  'persona.create',
  'persona.update',
  'persona.delete',
  'discussion.delete',
  'discussion.export',
  'model.pull',
  'model.delete',
  'keys.rotate',
  'audit.read',
] as const

export type AuditAction = (typeof auditActions)[number]

const labels: Record<AuditAction, string> = {
  'auth.signin': 'Signed in',
  'auth.signin_failed': 'Sign-in failed',
  'tenant.create': 'Workspace created',
  'tenant.update': 'Workspace updated',
  'tenant.domain_verify': 'Custom domain verified',
  'tenant.delete': 'Workspace deleted',
  'member.add': 'Member added',
  'member.role': 'Role changed',
  'member.remove': 'Member removed',
  'member.leave': 'Member left',
  'invitation.create': 'Invitation sent',
  'invitation.revoke': 'Invitation revoked',
  'invitation.accept': 'Invitation accepted',
  'invitation.decline': 'Invitation declined',
  'provider.create': 'Provider added',
  'provider.update': 'Provider updated',
  'provider.delete': 'Provider deleted',
  'persona.create': 'Persona created',
  'persona.update': 'Persona updated',
  'persona.delete': 'Persona deleted',
  'discussion.delete': 'Discussion deleted',
  'discussion.export': 'Discussion exported',
  'model.pull': 'Model pulled',
  'model.delete': 'Model deleted',
  'keys.rotate': 'Keys rotated',
  'audit.read': 'Audit log read',
}

export const auditFamilies = ['auth', 'tenant', 'member', 'invitation', 'provider', 'persona', 'discussion', 'model', 'keys', 'audit'] as const
export type AuditFamily = (typeof auditFamilies)[number] | 'other'

export const familyLabels: Record<AuditFamily, string> = {
  auth: 'Sign-in',
  tenant: 'Workspace',
  member: 'Members',
  invitation: 'Invitations',
  provider: 'Providers',
  persona: 'Personas',
  discussion: 'Discussions',
  model: 'Models',
  keys: 'Keys',
  audit: 'Audit log',
  other: 'Other',
}

/** Badge classes per family: a tinted pill that reads in light and dark. */
const familyClasses: Record<AuditFamily, string> = {
  auth: 'bg-sky-500/10 text-sky-700 ring-sky-600/20 dark:text-sky-300 dark:ring-sky-400/25',
  tenant: 'bg-violet-500/10 text-violet-700 ring-violet-600/20 dark:text-violet-300 dark:ring-violet-400/25',
  member: 'bg-emerald-500/10 text-emerald-700 ring-emerald-600/20 dark:text-emerald-300 dark:ring-emerald-400/25',
  invitation: 'bg-lime-500/10 text-lime-800 ring-lime-600/25 dark:text-lime-300 dark:ring-lime-400/25',
  provider: 'bg-amber-500/10 text-amber-800 ring-amber-600/25 dark:text-amber-300 dark:ring-amber-400/25',
  persona: 'bg-pink-500/10 text-pink-700 ring-pink-600/20 dark:text-pink-300 dark:ring-pink-400/25',
  discussion: 'bg-indigo-500/10 text-indigo-700 ring-indigo-600/20 dark:text-indigo-300 dark:ring-indigo-400/25',
  model: 'bg-teal-500/10 text-teal-700 ring-teal-600/20 dark:text-teal-300 dark:ring-teal-400/25',
  keys: 'bg-rose-500/10 text-rose-700 ring-rose-600/20 dark:text-rose-300 dark:ring-rose-400/25',
  audit: 'bg-subtle text-fg-muted ring-line-strong',
  other: 'bg-subtle text-fg-muted ring-line',
}

export function isAuditAction(action: string): action is AuditAction {
  return Object.prototype.hasOwnProperty.call(labels, action)
}

/** actionFamily is the part of an action before the first dot, or "other" for one this app does not know. */
export function actionFamily(action: string): AuditFamily {
  const family = action.split('.', 1)[0] ?? ''
  return (auditFamilies as readonly string[]).includes(family) ? (family as AuditFamily) : 'other'
}

/** actionLabel is the readable name of an action; unknown ones are shown as sent ("x.y_z" → "X y z"). */
export function actionLabel(action: string): string {
  if (isAuditAction(action)) return labels[action]
  const words = action.replace(/[._]+/g, ' ').trim()
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Unknown action'
}

/** actionBadgeClass is the badge colour of an action's family. */
export function actionBadgeClass(action: string): string {
  return familyClasses[actionFamily(action)]
}

/** isFailure marks actions that record something refused (shown with a warning tint). */
export const isFailure = (action: string) => action.endsWith('_failed')
