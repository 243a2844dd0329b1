'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { z } from 'zod';
import { errorMessage, fieldErrorsOf, fieldMessage } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import styles from './workflows.module.css';

// Mirrors the API's input rules so most mistakes are caught before a round trip; the server still decides.
const NewWorkflowSchema = z.object({
  name: z.string().trim().min(1, 'Name must not be empty').max(120, 'Name must be at most 120 characters'),
  description: z.string().trim().max(2000, 'Description must be at most 2000 characters'),
});

type Errors = Partial<Record<'name' | 'description' | 'form', string>>;

export function NewWorkflowForm({ onCancel }: { onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const create = useMutation(
    trpc.workflows.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries(trpc.workflows.list.queryFilter());
        router.push(`/workflows/${id}`);
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        const next: Errors = {};
        if (fields.name) next.name = fieldMessage('Name', fields.name);
        if (fields.description) next.description = fieldMessage('Description', fields.description);
        if (!next.name && !next.description) next.form = errorMessage(error);
        setErrors(next);
      },
    }),
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = NewWorkflowSchema.safeParse({ name, description });
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if ((key === 'name' || key === 'description') && !next[key]) next[key] = issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate({ name: parsed.data.name, ...(parsed.data.description ? { description: parsed.data.description } : {}) });
  };

  return (
    <form className={`card ${styles.form}`} onSubmit={submit} noValidate data-testid="new-workflow-form">
      <h2>New workflow</h2>
      <div>
        <label className="label" htmlFor="wf-name">
          Name
        </label>
        <input
          id="wf-name"
          className="input"
          data-testid="new-workflow-name"
          value={name}
          autoFocus
          maxLength={200}
          aria-invalid={Boolean(errors.name)}
          aria-describedby="wf-name-error"
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Invoice sync"
        />
        <div id="wf-name-error" className="field-error" data-testid="new-workflow-name-error">
          {errors.name}
        </div>
      </div>
      <div>
        <label className="label" htmlFor="wf-description">
          Description <span className="faint">(optional)</span>
        </label>
        <textarea
          id="wf-description"
          className="textarea"
          rows={2}
          data-testid="new-workflow-description"
          value={description}
          aria-invalid={Boolean(errors.description)}
          onChange={(e) => setDescription(e.target.value)}
        />
        <div className="field-error">{errors.description}</div>
      </div>
      {errors.form && (
        <div className="banner banner-error" data-testid="new-workflow-error">
          {errors.form}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" data-testid="new-workflow-submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create and open'}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
