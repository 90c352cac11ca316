import { createTemplateAction } from '@backstage/plugin-scaffolder-node';

/** The zod the scaffolder hands to schema functions (its own copy). */
export type ScaffolderZod = Parameters<
  Extract<
    NonNullable<
      NonNullable<
        Parameters<typeof createTemplateAction>[0]['schema']
      >['output']
    >,
    Record<string, unknown>
  >[string]
>[0];
