import type { RefObject } from 'react';
import { NETWORK_ERROR_MESSAGE } from '../api/client';
import { useBackOnline } from '../api/connection';

/**
 * A form whose last submit failed for want of a connection is submitted again, as typed, once the
 * server answers again. The form's own guard against double submits keeps a press at the same moment
 * from sending it twice.
 */
export function useResubmitWhenOnline(formRef: RefObject<HTMLFormElement | null>, formError: string | undefined) {
  useBackOnline(() => {
    if (formError === NETWORK_ERROR_MESSAGE) formRef.current?.requestSubmit();
  });
}
