import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'keyward:public';

/** Marks a route that needs no authentication. Every other route requires it. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
