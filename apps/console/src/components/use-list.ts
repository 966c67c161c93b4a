import { useCallback, useEffect, useState } from 'react';
import { api, type Query } from '../api/client';
import { describeError } from '../api/errors';

export const PAGE_SIZE = 25;

export interface ListState<T> {
  items: T[];
  total: number;
  offset: number;
  loading: boolean;
  error: string | null;
  setOffset: (offset: number) => void;
  reload: () => void;
}

/**
 * One page of an API list (`?limit=&offset=`, X-Total-Count), refetched when the query changes.
 * A null path asks for nothing (a list the person may not see).
 */
export function useList<T>(path: string | null, query: Query = {}, pageSize = PAGE_SIZE): ListState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [offset, setOffset] = useState(0);
  const [loading, setLoading] = useState(path !== null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query);

  useEffect(() => setOffset(0), [queryKey]);

  useEffect(() => {
    if (path === null) return;
    let current = true;
    setLoading(true);
    api
      .get<T[]>(path, { ...(JSON.parse(queryKey) as Query), limit: pageSize, offset })
      .then(({ data, total: count }) => {
        if (!current) return;
        setItems(data);
        setTotal(count ?? data.length);
        setError(null);
        if (data.length === 0 && offset > 0) setOffset(Math.max(0, offset - pageSize));
      })
      .catch((failure: unknown) => current && setError(describeError(failure)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [path, queryKey, offset, pageSize, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { items, total, offset, loading, error, setOffset, reload };
}

/** Every item of a list the console needs whole (a picker), up to the API's page limit. */
export async function fetchAll<T>(path: string, query: Query = {}): Promise<T[]> {
  return (await api.get<T[]>(path, { ...query, limit: 1000 })).data;
}
